"""broadcast_dimensions

Nightly batch job: enriches sales transactions with product, customer and region attributes
and sums them per region, product category and customer segment.

The product and customer dimensions stand in for tables of 50-100 MB: the automatic broadcast
threshold is turned off, so Spark joins them with sort-merge joins unless the job hints them.
Adaptive Query Execution is off so that the executed plan is the final plan.

Usage: broadcast_dimensions.py BASE_FOLDER
Writes its own input data under BASE_FOLDER, then runs the job and prints one line of JSON:
{"rows": [...the result, sorted...], "joins": ["<join operator> <join type>", ...]}, the joins
in the order they appear in the executed physical plan (outermost first).
"""
import json
import random
import re
import sys

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, count, sum

JOIN_OPERATORS = re.compile(
    r"\b(BroadcastHashJoin|SortMergeJoin|BroadcastNestedLoopJoin|ShuffledHashJoin)\b"
    r".*?\b(Inner|Cross|LeftOuter|RightOuter|FullOuter|LeftSemi|LeftAnti|ExistenceJoin)\b"
)


def write_inputs(spark, base):
    """Writes the job's input tables as parquet: a few hundred facts and three dimensions."""
    rng = random.Random(20240501)
    product_rows = [
        (product_id, f"product-{product_id}", ["books", "garden", "toys", "tools"][product_id % 4])
        for product_id in range(1, 21)
    ]
    customer_rows = [
        (customer_id, ["retail", "business", "student"][customer_id % 3], 2015 + customer_id % 8)
        for customer_id in range(1, 31)
    ]
    # Region 6 has no sales: the right outer join keeps it with empty totals.
    region_rows = [
        (1, "north", "SE"), (2, "south", "ES"), (3, "east", "PL"),
        (4, "west", "PT"), (5, "central", "DE"), (6, "islands", "IS"),
    ]
    # Products 21-22 are unknown (dropped by the inner join), customers 31-33 are guests (kept
    # by the left join with no segment), region 7 is not in the dimension (dropped by the right
    # outer join).
    transaction_rows = [
        (
            transaction_id,
            f"2024-05-{1 + transaction_id % 7:02d}",
            rng.randint(1, 22),
            rng.randint(1, 33),
            rng.choice([1, 1, 2, 2, 3, 4, 5, 7]),
            rng.randint(100, 25000),
        )
        for transaction_id in range(1, 401)
    ]

    # The inputs are tiny: one file each.
    spark.createDataFrame(
        transaction_rows,
        "transaction_id long, transaction_date string, product_id long, customer_id long,"
        " region_id long, amount_cents long",
    ).coalesce(1).write.mode("overwrite").parquet(f"{base}/raw/transactions/")
    spark.createDataFrame(
        product_rows, "product_id long, product_name string, product_category string"
    ).coalesce(1).write.mode("overwrite").parquet(f"{base}/dimensions/products/")
    spark.createDataFrame(
        customer_rows, "customer_id long, customer_segment string, signup_year int"
    ).coalesce(1).write.mode("overwrite").parquet(f"{base}/dimensions/customers/")
    spark.createDataFrame(
        region_rows, "region_id long, region_name string, country_code string"
    ).coalesce(1).write.mode("overwrite").parquet(f"{base}/dimensions/regions/")


base = sys.argv[1].rstrip("/")

spark = SparkSession.builder \
    .master("local[2]") \
    .appName("broadcast_dimensions") \
    .config("spark.sql.autoBroadcastJoinThreshold", "-1") \
    .config("spark.sql.adaptive.enabled", "false") \
    .config("spark.sql.shuffle.partitions", "4") \
    .config("spark.ui.enabled", "false") \
    .getOrCreate()

spark.sparkContext.setLogLevel("WARN")

write_inputs(spark, base)

# Read the facts and the dimension tables
transactions = spark.read.parquet(f"{base}/raw/transactions/")
products = spark.read.parquet(f"{base}/dimensions/products/")
customers = spark.read.parquet(f"{base}/dimensions/customers/")
regions = spark.read.parquet(f"{base}/dimensions/regions/")

# Enrich the transactions; every region is reported, with or without sales
enriched = transactions \
    .filter(col("amount_cents") > 0) \
    .join(products, "product_id") \
    .join(customers, "customer_id", "left") \
    .join(regions, "region_id", "right")

result = enriched \
    .groupBy("region_name", "product_category", "customer_segment") \
    .agg(
        count("transaction_id").alias("transactions"),
        sum("amount_cents").alias("amount_cents"),
    )

collected = result.collect()
rows = sorted([list(row) for row in collected], key=json.dumps)
plan = result._jdf.queryExecution().executedPlan().toString()
joins = [f"{m.group(1)} {m.group(2)}" for m in JOIN_OPERATORS.finditer(plan)]

print(json.dumps({"rows": rows, "joins": joins}))

spark.stop()
