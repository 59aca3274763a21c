"""same_rows

Compares pairs of parquet folders as multisets of rows (the order of rows and files aside): for
each pair it prints `same rows: N: AFTER` when both hold the same rows, else `rows differ: ...`;
it exits 1 when any pair differs. The pairs share one Spark session, so one JVM start serves
them all.

Each pair is compared in one aggregation: the rows of both folders, each tagged with its side,
grouped by every column (grouping treats nulls as equal, as `exceptAll` does); a group whose
two counts differ holds rows missing from one side. The comparison reads the columns of BEFORE,
in its order, from both folders.

Floating-point columns are compared rounded to 4 decimals: a sum of doubles depends on the order
in which rows reach it, and a broadcast join hands rows to the aggregation in another order
than a sort-merge join (the last bits differ, the values do not).

The folders hold at most a few million rows and the session is local: a handful of shuffle
partitions is enough (their count changes no comparison).

Usage: same_rows.py BEFORE AFTER [BEFORE AFTER ...]
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, FloatType

paths = sys.argv[1:]
if not paths or len(paths) % 2:
    sys.exit("usage: same_rows.py BEFORE AFTER [BEFORE AFTER ...]")
spark = (
    SparkSession.builder.master("local[2]")
    .appName("same_rows")
    .config("spark.sql.shuffle.partitions", "4")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("WARN")


def comparable(frame, columns):
    """The frame's columns in the given order, floating-point ones rounded."""
    types = {field.name: field.dataType for field in frame.schema.fields}
    return frame.select(*[
        F.round(F.col(name), 4).alias(name) if isinstance(types[name], (DoubleType, FloatType)) else F.col(name)
        for name in columns
    ])


def compare(before_path, after_path):
    """(rows of BEFORE, rows missing after, extra rows after) of one pair."""
    before = spark.read.parquet(before_path)
    columns = before.columns
    after = comparable(spark.read.parquet(after_path), columns)
    before = comparable(before, columns)
    sides = before.select("*", F.lit(1).alias("__before"), F.lit(0).alias("__after")).unionByName(
        after.select("*", F.lit(0).alias("__before"), F.lit(1).alias("__after"))
    )
    groups = sides.groupBy(*columns).agg(
        F.sum("__before").alias("__before"), F.sum("__after").alias("__after")
    )
    surplus = F.col("__before") - F.col("__after")
    totals = groups.agg(
        F.sum("__before").alias("rows"),
        F.sum(F.greatest(surplus, F.lit(0))).alias("missing"),
        F.sum(F.greatest(-surplus, F.lit(0))).alias("extra"),
    ).first()
    return totals["rows"] or 0, totals["missing"] or 0, totals["extra"] or 0


differ = False
for before_path, after_path in zip(paths[0::2], paths[1::2]):
    rows, missing, extra = compare(before_path, after_path)
    if missing or extra:
        differ = True
        print(f"rows differ: {missing} of {rows} missing after the fix, {extra} extra: {before_path} {after_path}")
    else:
        print(f"same rows: {rows}: {after_path}")
spark.stop()
sys.exit(1 if differ else 0)
