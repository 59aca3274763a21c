from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
events = spark.# noqa: SPK001
read.json("s3://b/events/")
events.count()
events.collect()
