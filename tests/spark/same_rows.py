"""same_rows

Compares two parquet folders as multisets of rows (the order of rows and files aside) and prints
`same rows: N` when they hold the same rows, else what differs, and exits 1.

Floating-point columns are compared rounded to 4 decimals: a sum of doubles depends on the order
in which rows reach it, and a broadcast join hands rows to the aggregation in another order
than a sort-merge join (the last bits differ, the values do not).

Usage: same_rows.py BEFORE AFTER
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, FloatType

before_path, after_path = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.master("local[2]").appName("same_rows").getOrCreate()
spark.sparkContext.setLogLevel("WARN")


def comparable(frame, columns):
    """The frame's columns in the given order, floating-point ones rounded."""
    types = {field.name: field.dataType for field in frame.schema.fields}
    return frame.select(*[
        F.round(F.col(name), 4).alias(name) if isinstance(types[name], (DoubleType, FloatType)) else F.col(name)
        for name in columns
    ])


before = spark.read.parquet(before_path)
after = comparable(spark.read.parquet(after_path), before.columns)
before = comparable(before, before.columns)
missing = before.exceptAll(after).count()
extra = after.exceptAll(before).count()
rows = before.count()
spark.stop()
if missing or extra:
    print(f"rows differ: {missing} of {rows} missing after the fix, {extra} extra")
    sys.exit(1)
print(f"same rows: {rows}")
