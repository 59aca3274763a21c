"""emptiness_checks

Data-quality gate: refuses to publish when a day has no events, warns when error events exist,
and checks that a reference extract is not empty, each by testing whether a DataFrame has rows.
SPK009 rewrites those tests to `len(df.head(1))` on the map-only frames and to `isEmpty()`
after the aggregation.

Each input file is its own task (`openCostInBytes`), so a full pass over the events runs 16
tasks. Each test runs in its own job group, and the job prints how many tasks the group's jobs
completed: the rewritten tests must give the same answers with fewer tasks where the frame has
rows (a full count runs a task per input split, `head(1)` reads the first split when it has a
row; an empty frame is read in full either way).

Usage: emptiness_checks.py BASE_FOLDER
Writes its own input data under BASE_FOLDER and prints one line of key=value figures.
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def write_inputs(spark, base):
    """16 JSON files of events: ids, a kind from 0 to 6, and a payload."""
    raw = spark.range(0, 160_000, numPartitions=16).select(
        "id", (F.col("id") % 7).alias("kind"), F.sha2(F.col("id").cast("string"), 256).alias("payload")
    )
    raw.write.mode("overwrite").json(f"{base}/raw/events/")


def completed_tasks(spark, group):
    """The tasks the jobs of `group` completed."""
    tracker = spark.sparkContext.statusTracker()
    total = 0
    for job_id in tracker.getJobIdsForGroup(group):
        for stage_id in tracker.getJobInfo(job_id).stageIds:
            stage = tracker.getStageInfo(stage_id)
            if stage is not None:
                total += stage.numCompletedTasks
    return total


def main(base):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("emptiness_checks")
        .config("spark.sql.files.openCostInBytes", str(128 * 1024 * 1024))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    write_inputs(spark, base)
    sc = spark.sparkContext

    events = spark.read.schema("id long, kind long, payload string").json(f"{base}/raw/events/")
    errors = events.filter(F.col("kind") == 3)
    missing = events.filter(F.col("id") < 0)
    kinds = events.groupBy("kind").agg(F.max("payload").alias("top"))

    sc.setJobGroup("errors", "errors")
    has_errors = errors.count() > 0
    sc.setJobGroup("missing", "missing")
    none_missing = missing.count() == 0
    sc.setJobGroup("limited", "limited")
    no_events = events.limit(1).count() == 0
    sc.setJobGroup("collected", "collected")
    has_rows = len(events.collect()) >= 1
    sc.setJobGroup("rdd", "rdd")
    rdd_empty = errors.rdd.isEmpty()
    sc.setJobGroup("kinds", "kinds")
    has_kinds = kinds.count() > 0

    figures = {
        "has_errors": int(has_errors),
        "none_missing": int(none_missing),
        "no_events": int(no_events),
        "has_rows": int(has_rows),
        "rdd_empty": int(rdd_empty),
        "has_kinds": int(has_kinds),
    }
    for group in ["errors", "missing", "limited", "collected", "rdd", "kinds"]:
        figures[f"{group}_tasks"] = completed_tasks(spark, group)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
