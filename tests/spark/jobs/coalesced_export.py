"""coalesced_export

Export job: scores every order with a Python UDF and writes the result as one file, with
`coalesce(1)`. SPK011 makes it `repartition(1)`: the UDF then runs on the 16 input splits
instead of one task, and one more shuffle brings the result to one partition.

Each input file is its own task (`openCostInBytes`). Prints one line of key=value figures: the
rows and files written, the tasks of the job that ran the UDF, and its seconds.

Usage: coalesced_export.py BASE_FOLDER
"""
import os
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.functions import udf
from pyspark.sql.types import DoubleType


@udf(DoubleType())
def score(amount):
    total = 0.0
    for step in range(40):
        total += (amount % (step + 7)) * 0.5
    return total


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("coalesced_export")
        .config("spark.sql.files.openCostInBytes", str(128 * 1024 * 1024))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.range(0, 160_000, numPartitions=16).select(
        "id", (F.col("id") % 1000).cast("double").alias("amount")
    ).write.mode("overwrite").parquet(f"{base}/raw/orders/")
    sc = spark.sparkContext

    orders = spark.read.parquet(f"{base}/raw/orders/")
    scored = orders.withColumn("score", score(F.col("amount")))
    sc.setJobGroup("export", "export")
    started = time.perf_counter()
    scored.coalesce(1).write.mode("overwrite").parquet(f"{base}/out/scored/")
    seconds = time.perf_counter() - started

    tracker = sc.statusTracker()
    tasks = sum(
        stage.numCompletedTasks
        for job in tracker.getJobIdsForGroup("export")
        for stage in map(tracker.getStageInfo, tracker.getJobInfo(job).stageIds)
        if stage is not None
    )
    out = f"{base}/out/scored/"
    files = sum(1 for name in os.listdir(out) if name.startswith("part-"))
    written = spark.read.parquet(out)
    rows = written.count()
    checksum = int(written.agg(F.sum("score")).first()[0] * 1000)
    print(f"rows={rows} files={files} checksum={checksum} tasks={tasks} ms={int(seconds * 1000)}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
