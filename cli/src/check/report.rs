//! `coral check`'s report, in the format CI wants (`--output`): `human`
//! (`file:line:col` lines and a summary), `json`, `junit` (one testcase per
//! script and check: `classname` the script, `name` the check, as GitLab
//! reads them; written with `quick-junit`) and `github` (workflow commands
//! that annotate the pull request).

use std::path::Path;

use clap::ValueEnum;
use serde::Serialize;

use super::{CheckOutcome, Finding};
use crate::stdio::outln;

/// The `--output` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
    Github,
}

/// A finding's place, relative to the working directory when inside it.
fn place(finding: &Finding) -> String {
    format!("{}:{}:{}", shown(&finding.file), finding.line, finding.col)
}

/// A path as the user gave it: relative to here when inside.
pub fn shown(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&here)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn text(finding: &Finding) -> String {
    match &finding.code {
        Some(code) => format!("{code} {}", finding.message),
        None => finding.message.clone(),
    }
}

/// Prints the report of `outcomes`.
pub fn print(format: Format, outcomes: &[CheckOutcome]) {
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let scripts = outcomes
        .iter()
        .map(|o| o.script.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let summary = format!(
        "checked {scripts} script{}: {} check{} passed, {failed} failed",
        if scripts == 1 { "" } else { "s" },
        outcomes.len() - failed,
        if outcomes.len() - failed == 1 {
            ""
        } else {
            "s"
        },
    );
    match format {
        Format::Human => {
            for outcome in outcomes {
                if outcome.passed() {
                    let note = if outcome.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", outcome.note)
                    };
                    outln!("ok    {} {}{note}", outcome.script, outcome.check);
                    continue;
                }
                outln!("FAIL  {} {}", outcome.script, outcome.check);
                for finding in &outcome.findings {
                    outln!("  {}: {}", place(finding), text(finding));
                }
            }
            outln!("{summary}");
        }
        Format::Github => {
            for outcome in outcomes.iter().filter(|o| !o.passed()) {
                for finding in &outcome.findings {
                    outln!(
                        "::error file={},line={},col={},title=coral check {}::{}",
                        shown(&finding.file),
                        finding.line,
                        finding.col,
                        outcome.check,
                        escape_github(&text(finding))
                    );
                }
            }
            outln!("{summary}");
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Json<'a> {
                passed: bool,
                checks: Vec<JsonCheck<'a>>,
            }
            #[derive(Serialize)]
            struct JsonCheck<'a> {
                script: &'a str,
                check: &'a str,
                passed: bool,
                note: &'a str,
                findings: Vec<JsonFinding>,
            }
            #[derive(Serialize)]
            struct JsonFinding {
                file: String,
                line: usize,
                col: usize,
                code: Option<String>,
                message: String,
            }
            let json = Json {
                passed: failed == 0,
                checks: outcomes
                    .iter()
                    .map(|o| JsonCheck {
                        script: &o.script,
                        check: o.check,
                        passed: o.passed(),
                        note: &o.note,
                        findings: o
                            .findings
                            .iter()
                            .map(|f| JsonFinding {
                                file: shown(&f.file),
                                line: f.line,
                                col: f.col,
                                code: f.code.clone(),
                                message: f.message.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            };
            outln!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Junit => outln!("{}", junit(outcomes)),
    }
}

/// `%`, CR and LF are escaped in a workflow command's message.
fn escape_github(message: &str) -> String {
    message
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn junit(outcomes: &[CheckOutcome]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut suite = TestSuite::new("coral check");
    for outcome in outcomes {
        let status = if outcome.passed() {
            TestCaseStatus::success()
        } else {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let lines: Vec<String> = outcome
                .findings
                .iter()
                .map(|f| format!("{}: {}", place(f), text(f)))
                .collect();
            status.set_message(lines.first().cloned().unwrap_or_default());
            status.set_description(lines.join("\n"));
            status
        };
        let mut case = TestCase::new(outcome.check, status);
        case.set_classname(outcome.script.clone());
        suite.add_test_case(case);
    }
    let mut report = Report::new("coral check");
    report.add_test_suite(suite);
    report.to_string().unwrap_or_default()
}
