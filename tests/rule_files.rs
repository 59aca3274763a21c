//! Checks that `rules/*.yaml` on disk, the files embedded in the binary, and the README's rule
//! table all name the same rules.

use std::path::Path;

#[test]
fn every_rule_yaml_file_is_embedded_and_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(root.join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = sparkfix_transform::RULE_FILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "rules/*.yaml and the embedded rule files differ"
    );

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for meta in sparkfix_transform::all_metadata() {
        let row = format!("| {} | `{}` |", meta.id, meta.name);
        assert!(
            readme.contains(&row),
            "README.md's rule table lacks `{row}`"
        );
        assert!(
            root.join("tests/fixtures").join(&meta.name).is_dir(),
            "rule {} has no fixtures in tests/fixtures/{}",
            meta.id,
            meta.name
        );
    }
}

#[test]
fn every_rule_example_is_what_the_fix_does() {
    for meta in sparkfix_transform::all_metadata() {
        // The example shows this rule's fix alone (another rule may act on the result).
        let mut settings = sparkfix_transform::Settings {
            unsafe_fixes: true,
            rules: sparkfix_transform::RuleSelection::of(vec![meta.name.clone()], Vec::new()),
            ..Default::default()
        };
        if let Some(log) = &meta.example.profile {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/eventlogs/logs")
                .join(log);
            let loaded = sparkfix_cli::eventlogs::load(&[path]);
            assert!(
                !loaded.failed,
                "rules/{}.yaml: example.profile {log}",
                meta.name
            );
            settings.measurements = sparkfix_transform::Measurements::new(loaded.profile);
        }
        let outcome = sparkfix_transform::fix(&meta.example.before, &settings)
            .unwrap_or_else(|e| panic!("rules/{}.yaml: example: {e:?}", meta.name));
        assert_eq!(
            outcome.fixed, meta.example.after,
            "rules/{}.yaml: the fix of `example.before` is not `example.after`",
            meta.name
        );
    }
}
