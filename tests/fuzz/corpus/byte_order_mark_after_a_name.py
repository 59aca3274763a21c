from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.json("s3://b/events/")
n_orders = df.count()
if n_orders﻿ == 0:
    print("none")
