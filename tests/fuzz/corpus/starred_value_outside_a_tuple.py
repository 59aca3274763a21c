from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
events = spark.read.json("s3://b/events/")
bad =* events.filter(events.kind.isNull())
bad.count()
bad.collect()
