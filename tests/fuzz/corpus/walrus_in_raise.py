from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet("s3://b/x/")
if events.count() == 0:
    raise SystemEx:=it("no events")
