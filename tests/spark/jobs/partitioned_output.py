"""partitioned_output

Daily batch job: cleans card transactions read from 16 input files and writes them twice,
partitioned by transaction date for analysts and unpartitioned for an export.

Each input file is its own task (`openCostInBytes` makes every small file fill a split, as big
files do), so the writes start from 16 tasks, as in spark-facts.md's measurement. Adaptive
Query Execution is on, as by default since Spark 3.2.

Usage: partitioned_output.py BASE_FOLDER
Writes its own input data under BASE_FOLDER, runs the job and prints one line:
by_date_files=<N> dates=<D> flat_files=<M> rows=<R>
"""
import os
import random
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def write_inputs(spark, base):
    """16 parquet files of transactions, each with every one of 30 dates."""
    rng = random.Random(20240601)
    rows = [
        (n, f"2024-06-{1 + n % 30:02d}", rng.randint(-500, 20000), rng.choice(["FR", "DE", "ES"]))
        for n in range(4800)
    ]
    raw = spark.createDataFrame(rows, "transaction_id long, transaction_date string, amount long, country string")
    raw.repartition(16).write.mode("overwrite").parquet(f"{base}/raw/transactions/")


def count_files(folder):
    """The data files under a folder, partition folders included."""
    return sum(
        1
        for _, _, files in os.walk(folder)
        for name in files
        if name.startswith("part-")
    )


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("partitioned_output")
        .config("spark.sql.files.openCostInBytes", str(128 * 1024 * 1024))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    write_inputs(spark, base)

    transactions = spark.read.parquet(f"{base}/raw/transactions/")
    clean = transactions.filter(F.col("amount") > 0).withColumn("amount_eur", F.col("amount") / 100)

    clean.write.mode("overwrite").partitionBy("transaction_date").parquet(f"{base}/out/by_date/")
    clean.write.mode("overwrite").parquet(f"{base}/out/flat/")

    by_date = f"{base}/out/by_date/"
    dates = sum(1 for entry in os.listdir(by_date) if entry.startswith("transaction_date="))
    rows = spark.read.parquet(f"{base}/out/flat/").count()
    print(
        f"by_date_files={count_files(by_date)} dates={dates} "
        f"flat_files={count_files(f'{base}/out/flat/')} rows={rows}"
    )
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
