//! Run totals: findings, fixes, changed files and errors, added up file by file.

use std::collections::BTreeMap;

use crate::report::Finding;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Findings reported (in `--write` mode, those remaining after the fixes).
    pub findings: usize,
    /// Of those, how many the current settings would fix.
    pub fixable: usize,
    /// Of those, how many only `--unsafe-fixes` would fix.
    pub hidden: usize,
    /// Of those, how many fail the run: the proven and measured ones, and with `--strict` (or
    /// `strict = true`) the guessed ones too.
    pub failing: usize,
    /// Of those, how many are guessed.
    pub guessed: usize,
    /// Fixes applied (`--write`) or that would be (`--diff`).
    pub applied: usize,
    /// Files changed (`--write`) or that would be (`--diff`).
    pub changed_files: usize,
    /// Files or paths that could not be processed.
    pub errors: usize,
    /// Sources looked at (files and standard input), the unprocessable ones included.
    pub checked: usize,
    /// Findings per rule code: the rule's name, how many, how many fixable.
    pub by_rule: BTreeMap<&'static str, RuleCount>,
    /// `--show-fixes` with `--write`: each changed file and the codes of the fixes applied.
    pub fixes: Vec<(String, Vec<&'static str>)>,
}

/// One rule's line of `--statistics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCount {
    pub name: &'static str,
    pub findings: usize,
    pub fixable: usize,
}

impl Tally {
    /// Adds one source's findings; `strict`: its guessed findings fail the run too.
    pub fn add_findings(&mut self, findings: &[Finding], strict: bool) {
        self.findings += findings.len();
        let guessed = findings.iter().filter(|f| f.is_guessed()).count();
        self.guessed += guessed;
        self.failing += if strict {
            findings.len()
        } else {
            findings.len() - guessed
        };
        self.fixable += findings.iter().filter(|f| f.fixable).count();
        self.hidden += findings.iter().filter(|f| f.hidden_fix).count();
        for finding in findings {
            let count = self.by_rule.entry(finding.code).or_default();
            count.name = finding.name;
            count.findings += 1;
            count.fixable += usize::from(finding.fixable);
        }
    }

    pub fn add_change(&mut self, applied: usize) {
        self.applied += applied;
        self.changed_files += 1;
    }

    pub fn add_error(&mut self) {
        self.errors += 1;
    }
}
