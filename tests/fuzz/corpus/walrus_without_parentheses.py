from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.parquet("x")
spark2 = SparkSessio:=n.builder.getOrCreate()
