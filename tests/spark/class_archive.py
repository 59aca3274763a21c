"""class_archive

The training run of the driver JVM's class-data archive (see tests/support/pyspark.rs): a small
job that loads the classes every test job loads (a session, a parquet write and read, a join, an
aggregation, a collect; the caller turns event logging on), then waits for its JVM to exit,
since the JVM writes the archive as it exits (`-XX:ArchiveClassesAtExit`, given by the caller).
Classes that only some jobs use are left out: each one the archive holds makes the training
run longer (the JVM runs about three times slower while it records them) for less than it saves.

The archive only saves the JVM's class loading: it changes nothing a job computes or plans.

Usage: class_archive.py BASE
Writes its data under BASE and prints `archived` once the JVM has exited.
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

base = sys.argv[1].rstrip("/")
spark = SparkSession.builder.master("local[2]").appName("class_archive").getOrCreate()
spark.sparkContext.setLogLevel("WARN")

spark.range(0, 1000, 1, 2).withColumn("key", F.col("id") % 7).write.mode("overwrite").parquet(f"{base}/rows/")
rows = spark.read.parquet(f"{base}/rows/")
sums = rows.join(rows.select("key").distinct(), "key").groupBy("key").agg(F.sum("id").alias("sum"))
print(f"groups: {len(sums.collect())}")

# The JVM writes the archive when it exits, which it does when its stdin closes.
gateway = spark.sparkContext._gateway
spark.stop()
gateway.shutdown()
gateway.proc.stdin.close()
if gateway.proc.wait(timeout=300) == 0:
    print("archived")
