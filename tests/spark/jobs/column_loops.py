"""column_loops

Customer cleaning job that trims, casts, flags and renames its columns one loop iteration at a
time, then adds five columns in a chain. SPK010 makes each loop one `withColumns` /
`withColumnsRenamed` call, and the chain one `withColumns`.

Prints one line: `rows=<the sorted result rows as JSON> projects=<Project nodes in the analyzed
plan>`; the fixed job must give the same rows with fewer projections.

Usage: column_loops.py BASE_FOLDER
"""
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("column_loops")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    customers = spark.createDataFrame(
        [(1, " Ann ", " Paris ", "FR", "1250", "12"), (2, "Bob", "Berlin ", "DE", "80", "3")],
        "cust_id int, name string, city string, country string, amount string, tax string",
    )
    for c in ["name", "city", "country"]:
        customers = customers.withColumn(c, F.trim(F.col(c)))
    for c in ("amount", "tax"):
        customers = customers.withColumn(f"{c}_eur", customers[c].cast("double") / 100)
    for name, expression in [("is_fr", "country = 'FR'"), ("is_big", "amount > 1000")]:
        customers = customers.withColumn(name, F.expr(expression))
    for old, new in {"cust_id": "customer_id", "amount": "amount_raw"}.items():
        customers = customers.withColumnRenamed(old, new)
    customers = (
        customers.withColumn("source", F.lit("crm"))
        .withColumn("amount_k", F.col("amount_eur") / 1000)
        .withColumn("tax_k", F.col("tax_eur") / 1000)
        .withColumn("load_day", F.lit("2026-12-01"))
        .withColumn("is_de", F.col("country") == "DE")
    )

    rows = sorted(json.dumps(row.asDict(), sort_keys=True) for row in customers.collect())
    projects = customers._jdf.queryExecution().analyzed().toString().count("Project [")
    print(f"projects={projects} rows={json.dumps(rows)}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
