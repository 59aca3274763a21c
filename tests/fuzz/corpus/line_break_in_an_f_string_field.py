from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
long_trips = spark.read.parquet("s3://b/trips/")
print(f"long trips: {long_trips.count
()}")
long_trips.show(20)
