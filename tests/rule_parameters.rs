//! Settings beyond the command line's: rule parameters over the YAML defaults, layered rule
//! selection, and fixes promoted or demoted (`extend-safe-fixes`, `extend-unsafe-fixes`).

use sparkfix_transform::{
    Applicability, FixSafety, ParameterValue, RuleSelection, SelectionLayer, Settings,
    SparkVersion, check,
};

const JOB: &str = "from pyspark.sql import SparkSession\n\
spark = SparkSession.builder.getOrCreate()\n\
events = spark.read.json(\"s3://bucket/raw/events/\")\n\
events.filter(\"country = 'FR'\").write.parquet(\"s3://bucket/clean/events_fr/\")\n";

fn spark31() -> Settings {
    Settings {
        target_spark: SparkVersion::new(3, 1),
        ..Settings::default()
    }
}

#[test]
fn a_configured_parameter_replaces_the_yaml_default() {
    let default = check(JOB, &spark31()).unwrap();
    let finding = default.iter().find(|d| d.code == "SPK003").expect("SPK003");
    assert!(finding.message.contains("50"), "{}", finding.message);

    let mut settings = spark31();
    settings.parameters.set(
        "control-output-files",
        "output_files",
        ParameterValue::Integer(7),
    );
    let configured = check(JOB, &settings).unwrap();
    let finding = configured
        .iter()
        .find(|d| d.code == "SPK003")
        .expect("SPK003");
    assert!(
        finding.message.contains("7 from the rule's `output_files`"),
        "{}",
        finding.message
    );
    assert!(!finding.message.contains("50"), "{}", finding.message);
}

#[test]
fn later_selection_layers_win() {
    let mut settings = spark31();
    settings.rules = RuleSelection {
        layers: vec![
            SelectionLayer {
                ignore: vec!["SPK003".into()],
                ..SelectionLayer::default()
            },
            SelectionLayer {
                select: vec!["control-output-files".into()],
                ..SelectionLayer::default()
            },
        ],
    };
    let codes: Vec<_> = check(JOB, &settings)
        .unwrap()
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["SPK003"]);
    settings.rules.layers.push(SelectionLayer {
        ignore: vec!["SPK".into()],
        ..SelectionLayer::default()
    });
    assert!(check(JOB, &settings).unwrap().is_empty());
}

#[test]
fn fix_safety_promotes_and_demotes_but_unsafe_wins() {
    let safety = FixSafety {
        extend_safe: vec!["SPK004".into(), "SPK003".into()],
        extend_unsafe: vec!["control-output-files".into()],
    };
    let adjust = |code, name, own| safety.adjust(code, name, own);
    assert_eq!(
        adjust("SPK004", "partition-output-by-date", Applicability::Unsafe),
        Applicability::Safe
    );
    assert_eq!(
        adjust("SPK003", "control-output-files", Applicability::Safe),
        Applicability::Unsafe
    );
    assert_eq!(
        adjust("SPK001", "cache-reused-dataframe", Applicability::Safe),
        Applicability::Safe
    );

    // Demoting SPK001 makes its proven fix wait for --unsafe-fixes.
    let reused = "from pyspark.sql import SparkSession\n\
spark = SparkSession.builder.getOrCreate()\n\
events = spark.read.json(\"s3://bucket/events/\")\n\
print(events.count())\n\
events.groupBy(\"country\").count().show()\n";
    let mut settings = Settings::default();
    let finding = check(reused, &settings)
        .unwrap()
        .into_iter()
        .find(|d| d.code == "SPK001")
        .unwrap();
    assert!(settings.is_fixable(&finding));
    settings.fix_safety = FixSafety {
        extend_unsafe: vec!["SPK001".into()],
        ..FixSafety::default()
    };
    assert!(!settings.is_fixable(&finding));
    assert!(settings.is_fixable_with(&finding, true));
}

/// control-output-files and coalesce-starves-stage share one criterion: a post-shuffle write set
/// to fewer files than `min_tasks` is repartitioned, never coalesced (which would run the
/// aggregation's reduce side on those few tasks), and the fixed file has nothing for SPK011.
#[test]
fn few_post_shuffle_files_are_repartitioned_not_coalesced() {
    let job = "from pyspark.sql import SparkSession\n\
spark = SparkSession.builder.getOrCreate()\n\
events = spark.read.parquet(\"s3://bucket/events/\")\n\
daily = events.groupBy(\"country\").count()\n\
daily.write.parquet(\"s3://bucket/daily/\")\n";
    let mut settings = spark31();
    settings.parameters.set(
        "control-output-files",
        "output_files",
        ParameterValue::Integer(2),
    );
    settings.unsafe_fixes = true;
    let outcome = sparkfix_transform::fix(job, &settings).unwrap();
    assert!(
        outcome
            .fixed
            .contains("daily.repartition(2).write.parquet("),
        "{}",
        outcome.fixed
    );
    let left = check(&outcome.fixed, &settings).unwrap();
    assert!(!left.iter().any(|d| d.code == "SPK011"), "{left:?}");
    // With the default 50 files, the coalesce starves nothing.
    let mut settings = spark31();
    settings.unsafe_fixes = true;
    let outcome = sparkfix_transform::fix(job, &settings).unwrap();
    assert!(
        outcome.fixed.contains("daily.coalesce(50).write"),
        "{}",
        outcome.fixed
    );
}
