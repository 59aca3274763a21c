from pyspark.sql import SparkSession
s.persist()park = SparkSession.builder.getOrCreate()
df = park.read.parquet("s3://b/x/")
df.count()
df.collect()
