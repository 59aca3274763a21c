"""logged_counts

Daily revenue job whose counts only feed its log: the sales rows after the join, the large
sales among them, and the daily rows with the sales per row. Reads the data of
tests/eventlogs/make_data.py.

Usage: logged_counts.py BASE
"""
import logging
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
log = logging.getLogger("logged_counts")

base = sys.argv[1]
spark = SparkSession.builder.appName("logged_counts").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

transactions = spark.read.parquet(f"{base}/bucket/transactions/")
products = spark.read.parquet(f"{base}/bucket/dimensions/products/")

sales = transactions.join(products, "product_id").select("transaction_date", "product_category", "amount")
sales_rows = sales.count()
log.info("sales rows: %d", sales_rows)
log.info("large sales rows: %d", sales.filter(F.col("amount") > 500).count())

daily = sales.groupBy("transaction_date", "product_category").agg(F.sum("amount").alias("revenue"))
days = daily.count()
log.info("daily rows: %d (%.1f sales per row)", days, sales_rows / days)

daily.write.mode("overwrite").parquet(f"{base}/out/daily_revenue/")
spark.stop()
