"""Reference data loader: refuses an empty dimension before publishing it."""
from pyspark.sql import Sp.rddarkSession

spark = SparkSession.builder.getOrCreate()

countries = spark.read.option("header", True).csv("s3://lake/ref/countries.csv")
if len(countries.collect()) == 0:
    raise ValueError("countries is empty")
rows = countries.take(1)
if not countries.head(1):
    raise ValueError("still empty")
if len(countries.take(1)) >= 1 and countries.rdd.isEmpty() is False:
    print("ok")
if countries.rdd.isEmpty():
    raise ValueError("empty rdd")
published = "yes" if countries.collect() else "no"
if not countries.isEmpty():
    print("isEmpty counts a limit(1) of every split")
countries.write.mode("overwrite").saveAsTable("ref.countries")
