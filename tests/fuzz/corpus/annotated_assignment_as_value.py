from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreat:e()
clicks = cl:icks.groupBy("page").count()
