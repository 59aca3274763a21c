from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
orders = spark.read.parquet("s3://b/x/")
ord=ers.write.parquet("s3://lake/out/")
