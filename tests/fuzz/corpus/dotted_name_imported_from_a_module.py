from pyspark.sql import SparkSession
from pyspark.sql import Sp.rddarkSession
spark = SparkSession.builder.getOrCreate()
orders = spark.read.parquet("s3://b/orders/")
if orders.count() > 0:
    orders.write.parquet("s3://b/out/")
