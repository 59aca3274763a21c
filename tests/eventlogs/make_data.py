"""make_data

Writes the deterministic input data of the event-log jobs, as parquet, under BASE:

  BASE/bucket/transactions/            3,000,000 rows in 8 files (the fact table)
  BASE/bucket/dimensions/products/     1,000 rows, 1 file (12 categories)
  BASE/bucket/dimensions/customers/    5,000 rows, 1 file (4 segments, 6 regions)
  BASE/warehouse/dim_accounts/         3,000,000 rows in 8 files: named like a dimension,
                                       as big as the fact table
  BASE/landing/events/                 200,000 rows in 300 small files

Every value comes from a hash of the row number (xxhash64 with a fixed seed per column), so
the data is the same on every run, whatever the partitioning.

Usage: make_data.py BASE [--transactions N] [--skip-accounts]

Without options it writes the data of the committed logs, as above. Two options make less of it,
for runs that need less (tests/profile_e2e.rs):
  --transactions N   N rows in the fact table instead of 3,000,000 (the first N rows of the full
                     table, with the same values), and as many accounts
  --skip-accounts    leaves out BASE/warehouse/dim_accounts/
The other folders are written as without them.
"""
import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

TRANSACTIONS = 3_000_000
PRODUCTS = 1_000
CUSTOMERS = 5_000
ACCOUNTS = TRANSACTIONS
EVENTS = 200_000
DAYS = 30

CATEGORIES = [
    "electronics", "books", "clothing", "home", "garden", "toys",
    "sports", "beauty", "grocery", "automotive", "music", "office",
]
SEGMENTS = ["consumer", "small_business", "enterprise", "public_sector"]
REGIONS = ["north", "south", "east", "west", "central", "overseas"]
TIERS = ["basic", "silver", "gold", "platinum"]
STATUSES = ["active", "active", "active", "dormant", "closed"]
EVENT_TYPES = ["page_view", "add_to_cart", "checkout", "search", "login", "logout"]


def h(seed, modulo, column="id"):
    """A deterministic pseudo-random integer in [0, modulo) from the row number."""
    return F.pmod(F.xxhash64(F.col(column), F.lit(seed)), F.lit(modulo))


def pick(values, seed):
    """A deterministic pseudo-random choice among `values`."""
    return F.element_at(F.array(*[F.lit(v) for v in values]), (h(seed, len(values)) + 1).cast("int"))


def day(seed, start="2024-06-01"):
    return F.date_format(F.date_add(F.lit(start).cast("date"), h(seed, DAYS).cast("int")), "yyyy-MM-dd")


def main(base, transactions_rows=TRANSACTIONS, skip_accounts=False):
    spark = SparkSession.builder.master("local[2]").appName("sparkfix_eventlog_data").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    transactions = spark.range(0, transactions_rows, 1, 8).select(
        F.col("id").alias("transaction_id"),
        h(11, PRODUCTS).cast("int").alias("product_id"),
        h(12, CUSTOMERS).cast("int").alias("customer_id"),
        # cents in [-2000, 98000): about 2% of the amounts are not positive
        ((h(13, 100_000) - 2_000) / F.lit(100.0)).alias("amount"),
        day(14).alias("transaction_date"),
    )
    transactions.write.mode("overwrite").parquet(f"{base}/bucket/transactions/")

    products = spark.range(0, PRODUCTS, 1, 1).select(
        F.col("id").cast("int").alias("product_id"),
        F.format_string("Product %04d", F.col("id")).alias("product_name"),
        pick(CATEGORIES, 21).alias("product_category"),
    )
    products.write.mode("overwrite").parquet(f"{base}/bucket/dimensions/products/")

    customers = spark.range(0, CUSTOMERS, 1, 1).select(
        F.col("id").cast("int").alias("customer_id"),
        pick(SEGMENTS, 31).alias("segment"),
        pick(REGIONS, 32).alias("region"),
    )
    customers.write.mode("overwrite").parquet(f"{base}/bucket/dimensions/customers/")

    if not skip_accounts:
        # Scaled with the fact table (ACCOUNTS rows for the full one).
        accounts_rows = ACCOUNTS * transactions_rows // TRANSACTIONS
        accounts = spark.range(0, accounts_rows, 1, 8).select(
            F.col("id").alias("account_id"),
            F.format_string("ACC-%09d", F.col("id")).alias("account_number"),
            pick(TIERS, 41).alias("account_tier"),
            pick(STATUSES, 42).alias("account_status"),
            F.date_format(F.date_add(F.lit("2015-01-01").cast("date"), h(43, 3_000).cast("int")),
                          "yyyy-MM-dd").alias("opened_date"),
            (h(44, 5_000_000) / F.lit(100.0)).alias("credit_limit"),
        )
        accounts.write.mode("overwrite").parquet(f"{base}/warehouse/dim_accounts/")

    events = spark.range(0, EVENTS, 1, 4).select(
        F.col("id").alias("event_id"),
        pick(EVENT_TYPES, 51).alias("event_type"),
        h(52, CUSTOMERS).cast("int").alias("customer_id"),
        F.concat(day(53), F.lit(" "), F.format_string("%02d:%02d:%02d", h(54, 24), h(55, 60), h(56, 60)))
        .alias("event_time"),
        F.format_string("session-%08x", h(57, 1 << 30)).alias("session_id"),
    )
    events.repartition(300).write.mode("overwrite").parquet(f"{base}/landing/events/")

    spark.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The input data of the event-log jobs.")
    parser.add_argument("base")
    parser.add_argument("--transactions", type=int, default=TRANSACTIONS)
    parser.add_argument("--skip-accounts", action="store_true")
    args = parser.parse_args()
    main(args.base, transactions_rows=args.transactions, skip_accounts=args.skip_accounts)
