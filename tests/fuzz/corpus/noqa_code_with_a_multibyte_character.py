from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.parquet("s3://b/x/")  # noqa: `�
df.count()
df.collect()
