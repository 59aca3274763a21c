"""partitioned_daily

Daily batch job: sums the sales of each product category per day and writes them
partitioned by day (one folder per transaction_date), for the reporting tables.

Usage: partitioned_daily.py BASE
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1]

spark = SparkSession.builder.appName("partitioned_daily").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

transactions = spark.read.parquet(f"{base}/bucket/transactions/")
products = spark.read.parquet(f"{base}/bucket/dimensions/products/")

daily = (
    transactions
    .filter(F.col("amount") > 0)
    .join(products, "product_id")
    .groupBy("transaction_date", "product_category")
    .agg(
        F.sum("amount").alias("sales"),
        F.count("*").alias("purchases"),
        F.avg("amount").alias("average_basket"),
    )
)

daily.write.mode("overwrite").partitionBy("transaction_date").parquet(
    f"{base}/curated/daily_category_sales/"
)
print("daily category sales written")

spark.stop()
