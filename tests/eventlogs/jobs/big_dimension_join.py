"""big_dimension_join

Daily batch job: attributes each purchase to the buyer's account and to the product's
category, and writes the revenue per account tier, account status and product category.

`dim_accounts` is named like a dimension but holds every account ever opened: as many rows
as the transactions themselves. `products` is a real (small) dimension.

Usage: big_dimension_join.py BASE
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1]

spark = SparkSession.builder.appName("big_dimension_join").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

transactions = spark.read.parquet(f"{base}/bucket/transactions/")
accounts = spark.read.parquet(f"{base}/warehouse/dim_accounts/")
products = spark.read.parquet(f"{base}/bucket/dimensions/products/")

# Each customer buys through one account: account_id is the customer_id of the purchase.
enriched = (
    transactions
    .join(accounts, transactions["customer_id"] == accounts["account_id"])
    .join(products, "product_id")
)

revenue = (
    enriched
    .groupBy("account_tier", "account_status", "product_category")
    .agg(
        F.sum("amount").alias("revenue"),
        F.count("*").alias("purchases"),
        F.countDistinct("customer_id").alias("buyers"),
    )
)

revenue.write.mode("overwrite").parquet(f"{base}/warehouse/revenue_by_account_tier/")
print("revenue_by_account_tier written")

spark.stop()
