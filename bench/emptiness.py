"""What each way of asking "does this DataFrame have rows?" costs, measured with real PySpark.

The figures behind rules/cheap-emptiness-test.yaml. Writes 4M events as 64 JSON files and the
same as 64 parquet files (each file its own task), then, for a map-only read, a filtered read,
an empty filter, an aggregation and a join, times each test on a fresh DataFrame (no plan or
shuffle reused between tests) and counts the tasks its jobs completed.

Usage: python bench/emptiness.py FOLDER   (with pyspark installed; local[2])
"""
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def completed_tasks(spark, group):
    tracker = spark.sparkContext.statusTracker()
    return sum(
        stage.numCompletedTasks
        for job in tracker.getJobIdsForGroup(group)
        for stage in map(tracker.getStageInfo, tracker.getJobInfo(job).stageIds)
        if stage is not None
    )


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("emptiness_bench")
        .config("spark.sql.files.openCostInBytes", str(128 * 1024 * 1024))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    raw = spark.range(0, 4_000_000, numPartitions=64).select(
        "id", (F.col("id") % 7).alias("kind"), F.sha2(F.col("id").cast("string"), 256).alias("payload")
    )
    raw.write.mode("overwrite").json(f"{base}/json")
    raw.write.mode("overwrite").parquet(f"{base}/parquet")

    def read(fmt):
        if fmt == "json":
            return spark.read.schema("id long, kind long, payload string").json(f"{base}/json")
        return spark.read.parquet(f"{base}/parquet")

    lineages = {
        "scan": lambda fmt: read(fmt),
        "filtered": lambda fmt: read(fmt).filter(F.col("kind") == 3),
        "empty filter": lambda fmt: read(fmt).filter(F.col("id") < 0),
        "aggregation": lambda fmt: read(fmt).groupBy("kind").agg(F.max("payload").alias("top")),
        "join": lambda fmt: read(fmt).join(read(fmt).select("id", F.col("kind").alias("k")), "id"),
    }
    tests = {
        "count() == 0": lambda df: df.count() == 0,
        "len(collect()) == 0": lambda df: len(df.collect()) == 0,
        "limit(1).count() == 0": lambda df: df.limit(1).count() == 0,
        "rdd.isEmpty()": lambda df: df.rdd.isEmpty(),
        "len(head(1)) == 0": lambda df: len(df.head(1)) == 0,
        "isEmpty()": lambda df: df.isEmpty(),
    }
    # A first query warms the JVM and the file system cache.
    read("json").count()
    print(f"{'format':8} {'lineage':13} {'test':22} {'tasks':>6} {'seconds':>8}")
    for fmt in ["json", "parquet"]:
        for lineage, make in lineages.items():
            for test, run in tests.items():
                if test == "len(collect()) == 0" and lineage in ("scan", "join"):
                    continue  # 4M rows to a 1 GiB driver: out of memory; the filter makes the point
                group = f"{fmt}/{lineage}/{test}"
                spark.sparkContext.setJobGroup(group, group)
                frame = make(fmt)
                started = time.perf_counter()
                run(frame)
                seconds = time.perf_counter() - started
                tasks = completed_tasks(spark, group)
                print(f"{fmt:8} {lineage:13} {test:22} {tasks:6d} {seconds:8.2f}", flush=True)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
