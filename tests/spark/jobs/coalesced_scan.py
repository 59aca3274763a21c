"""coalesced_scan

Export job: reads 16 JSON files of events, keeps those whose payload matches a pattern, and
writes them as one file with `coalesce(1)`. Nothing in the code says the scan is costly; the
event log of a run does: the whole scan ran on one task. SPK011 with `--profile` makes it
`repartition(1)`.

Each input file is its own task (`openCostInBytes`). Prints one line: rows=<N> files=<F>.

Usage: coalesced_scan.py BASE_FOLDER
"""
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("coalesced_scan")
        .config("spark.sql.files.openCostInBytes", str(128 * 1024 * 1024))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    raw = f"{base}/raw/events/"
    if not os.path.exists(raw):
        spark.range(0, 600_000, numPartitions=16).select(
            "id", F.sha2(F.col("id").cast("string"), 512).alias("payload")
        ).write.json(raw)

    events = spark.read.schema("id long, payload string").json(raw)
    matching = events.filter(F.col("payload").rlike("^[0-9a-f]*(ab|cd)[0-9a-f]*ef$"))
    matching.coalesce(1).write.mode("overwrite").parquet(f"{base}/out/matching/")

    out = f"{base}/out/matching/"
    files = sum(1 for name in os.listdir(out) if name.startswith("part-"))
    print(f"rows={spark.read.parquet(out).count()} files={files}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
