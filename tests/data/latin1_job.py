# Expect: non-UTF-8 input (latin-1, declared by a PEP 263 cookie): sparkfix must not mangle the byte 0xE9 in the comment below nor rewrite the file as UTF-8. `menu` is reused (count + write).
# -*- coding: latin-1 -*-
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()

# Menu du café : prix en euros
menu = spark.read.csv("s3://bucket/menu.csv", header=True)
print(f"items: {menu.count()}")
menu.write.mode("overwrite").parquet("s3://bucket/menu/")
