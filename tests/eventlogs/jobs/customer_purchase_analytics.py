"""customer_purchase_analytics

Daily batch job: enriches raw purchase transactions with product and
customer attributes and writes a per-customer, per-category, per-day
purchase summary for the analytics warehouse.

Runs on 10 DPUs, roughly 400 GB of transactions per run.

Usage: customer_purchase_analytics.py BASE
"""
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, sum, count

base = sys.argv[1]

start_time = time.time()

# Create Spark session
spark = SparkSession.builder \
    .appName("customer_purchase_analytics") \
    .config("spark.executor.memory", "16g") \
    .config("spark.executor.cores", "4") \
    .getOrCreate()

spark.sparkContext.setLogLevel("WARN")

# Read input data
transactions_df = spark.read.parquet(f"{base}/bucket/transactions/")

total_records = transactions_df.count()
print(f"Processing {total_records} transactions")

# Read dimension tables
products_df = spark.read.parquet(f"{base}/bucket/dimensions/products/")
customers_df = spark.read.parquet(f"{base}/bucket/dimensions/customers/")

# Data quality check: how many transactions carry a positive amount
valid_records = transactions_df.filter(col("amount") > 0).count()
print(f"Valid transactions: {valid_records} "
      f"({total_records - valid_records} with a non-positive amount)")

# Enrich transactions with product and customer attributes
enriched_df = transactions_df \
    .join(products_df, "product_id") \
    .join(customers_df, "customer_id")

print(f"After joins: {enriched_df.count()} records")

# Aggregate purchases per customer, product category and day
summary_df = enriched_df.groupBy(
    "customer_id",
    "product_category",
    "transaction_date"
).agg(
    sum("amount").alias("total_amount"),
    count("*").alias("transaction_count")
)

print(f"Summary records: {summary_df.count()}")

# Write output
summary_df.write.mode("overwrite").parquet(f"{base}/bucket/summaries/customer_purchase_summary/")

print("Job completed successfully!")

duration_minutes = (time.time() - start_time) / 60
print(f"Duration: {duration_minutes:.2f} minutes")

spark.stop()
