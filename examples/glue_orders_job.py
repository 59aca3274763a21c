"""glue_orders_job

AWS Glue 4.0 job: reads the `orders` table from the Glue Data Catalog,
logs a few counts and writes a cleaned copy to S3 as parquet.

Job parameters: --JOB_NAME, --database, --output_path
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "database", "output_path"])

sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
logger = glueContext.get_logger()

job = Job(glueContext)
job.init(args["JOB_NAME"], args)

# Source: Glue Data Catalog table backed by S3
orders_df = glueContext.create_dynamic_frame.from_catalog(
    database=args["database"],
    table_name="orders",
    transformation_ctx="orders_source",
).toDF()

order_count = orders_df.count()
logger.info(f"Read {order_count} orders from {args['database']}.orders")

cancelled_count = orders_df.filter(F.col("order_status") == "CANCELLED").count()
logger.info(f"Cancelled orders: {cancelled_count}")

# Clean and write
orders_df \
    .withColumn("order_date", F.to_date("order_ts")) \
    .withColumn("net_amount", F.col("gross_amount") - F.col("discount")) \
    .drop("_corrupt_record") \
    .write.mode("overwrite").parquet(args["output_path"])

job.commit()
