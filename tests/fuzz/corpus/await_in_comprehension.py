# Found by the fuzzer: `await` in a list comprehension outside an asynchronous function, which
# CPython's compiler refuses ("asynchronous comprehension outside of an asynchronous function").
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
orders = spark.read.parquet("s3://lake/orders/")
sizes = [await part.count() for part in [orders]]
orders.count()
orders.count()
