from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
x = spark.read.parquet("p")