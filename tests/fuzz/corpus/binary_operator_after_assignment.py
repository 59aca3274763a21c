from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
enriched = spark.read.parquet("s3://b/x/")
nordic =** enriched.filter(enriched.country.isin("SE", "NO"))
nordic.count()
nordic.collect()
