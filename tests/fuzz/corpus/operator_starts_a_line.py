from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
acc = spark.read.parquet("s3://b/a/")
for day in days:
    acc = acc.union(spark.read.parquet(day))
    **logger.info("added %s", day)
