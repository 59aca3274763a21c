"""dedupe_transactions

Daily batch job: deduplicates the fact table by its key before it is published to the
curated zone, keeping one row per transaction_id (the largest amount and the latest date).

transaction_id is already unique in the input: every group holds one row, so the partial
(pre-shuffle) aggregation that Spark plans before the exchange reduces nothing: it outputs
as many rows as it reads, and the shuffle moves them all.

Usage: dedupe_transactions.py BASE
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1]

spark = SparkSession.builder.appName("dedupe_transactions").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

transactions = spark.read.parquet(f"{base}/bucket/transactions/")

deduped = (
    transactions
    .groupBy("transaction_id")
    .agg(
        F.max("amount").alias("amount"),
        F.first("customer_id").alias("customer_id"),
        F.first("product_id").alias("product_id"),
        F.max("transaction_date").alias("transaction_date"),
    )
)

deduped.write.mode("overwrite").parquet(f"{base}/bucket/curated/transactions_dedup/")
print("deduplicated transactions written")

spark.stop()
