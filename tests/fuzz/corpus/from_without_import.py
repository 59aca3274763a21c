from pyspark.sql # noqa: SPK001
import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.parquet("s3://b/x/")
df.count()
df.collect()
