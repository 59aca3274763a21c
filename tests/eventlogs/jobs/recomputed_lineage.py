"""recomputed_lineage

Daily batch job: sales per region and product category. The enriched, aggregated frame is
used by three actions (a count for the run log, a preview on the console and the write)
and is never cached, so Spark reads and joins the inputs again for each action.

Usage: recomputed_lineage.py BASE
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1]

spark = SparkSession.builder.appName("recomputed_lineage").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

transactions = spark.read.parquet(f"{base}/bucket/transactions/")
products = spark.read.parquet(f"{base}/bucket/dimensions/products/")
customers = spark.read.parquet(f"{base}/bucket/dimensions/customers/")

sales = (
    transactions
    .join(products, "product_id")
    .join(customers, "customer_id")
    .groupBy("region", "product_category")
    .agg(
        F.sum("amount").alias("sales"),
        F.count("*").alias("purchases"),
    )
)

print(f"Groups: {sales.count()}")
sales.orderBy(F.desc("sales")).show(5)
sales.write.mode("overwrite").parquet(f"{base}/curated/sales_by_region_category/")
print("sales by region and category written")

spark.stop()
