from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.json("s3://b/events/")
print(f"writing {df.count()} rows")*
df.write.parquet("s3://b/out/")
