from pyspark.sql import SparkSession
spark = SparkSession.builder \
    .getOrCrens as F
df = spark.read.parquet("s3://b/x/")
