from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.json("s3://b/events/")
print(df.count())
df.collect()
