"""small_files_copy

Hourly landing job: copies the raw click-stream events that the collectors drop as many
small parquet files into the curated zone, keeping only shopping events and the columns the
analysts use. A map-only job: no join, no aggregation, one output file per input split.

Usage: small_files_copy.py BASE
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1]

spark = SparkSession.builder.appName("small_files_copy").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

events = spark.read.parquet(f"{base}/landing/events/")

shopping = (
    events
    .filter(F.col("event_type").isin("add_to_cart", "checkout", "page_view"))
    .select(
        "event_id",
        "event_type",
        "customer_id",
        F.substring("event_time", 1, 10).alias("event_date"),
        "event_time",
    )
)

shopping.write.mode("overwrite").parquet(f"{base}/curated/events/")
print("curated events written")

spark.stop()
