from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
ranked = spark.read.parquet("s3://b/x/")
n = ranked.count()
* ranked.write.parquet("s3://lake/ranked/")
