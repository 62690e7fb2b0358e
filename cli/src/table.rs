//! Records printed as `-o table|json|csv` (design §9): a table for people,
//! the answer as JSON, raw values as CSV. Shared by `coral query` and
//! `coral script`.

use clap::ValueEnum;
use serde::Serialize;

use crate::stdio::outln;

/// The `-o/--output` choice: aligned columns for people, the answer as
/// JSON, raw values as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Table,
    Json,
    Csv,
}

/// A column: its table heading (for people) and its CSV heading (for
/// programs: snake_case, with the unit of the raw values, e.g. `value_ns`).
pub struct Column {
    /// `None`: the table shows this value inside another column.
    table: Option<String>,
    csv: String,
}

impl Column {
    pub fn new(table: &str, csv: &str) -> Self {
        Self {
            table: Some(table.into()),
            csv: csv.into(),
        }
    }

    pub fn csv_only(csv: &str) -> Self {
        Self {
            table: None,
            csv: csv.into(),
        }
    }
}

/// A cell: what the table shows (`2.46s`, `39.82%`) and the raw value CSV
/// carries (`2460000000`, `0.3982`).
pub struct Cell {
    shown: String,
    raw: String,
}

impl Cell {
    /// The same text in both.
    pub fn text(value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            raw: value.clone(),
            shown: value,
        }
    }

    /// A value shown in human form.
    pub fn shown_as(shown: String, raw: impl ToString) -> Self {
        Self {
            shown,
            raw: raw.to_string(),
        }
    }
}

/// Rows to print, whatever the format. JSON prints the colony's answer as
/// it is (raw values, units in their own fields).
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Prints the rows as `output` asks; JSON prints `json` instead.
    pub fn print(&self, output: Output, json: &impl Serialize) {
        match output {
            Output::Json => outln!("{}", serde_json::to_string_pretty(json).unwrap_or_default()),
            Output::Csv => {
                let line = |fields: Vec<&str>| {
                    fields
                        .into_iter()
                        .map(csv_field)
                        .collect::<Vec<_>>()
                        .join(",")
                };
                outln!(
                    "{}",
                    line(self.columns.iter().map(|c| c.csv.as_str()).collect())
                );
                for row in &self.rows {
                    outln!("{}", line(row.iter().map(|c| c.raw.as_str()).collect()));
                }
            }
            Output::Table => {
                let shown: Vec<bool> = self.columns.iter().map(|c| c.table.is_some()).collect();
                let headers: Vec<String> = self
                    .columns
                    .iter()
                    .filter_map(|c| c.table.clone())
                    .collect();
                let rows: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .zip(&shown)
                            .filter(|(_, shown)| **shown)
                            .map(|(c, _)| c.shown.clone())
                            .collect()
                    })
                    .collect();
                let widths: Vec<usize> = (0..headers.len())
                    .map(|i| {
                        rows.iter()
                            .map(|r| r[i].chars().count())
                            .chain([headers[i].len()])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                let line = |cells: &[String]| {
                    cells
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect::<Vec<_>>()
                        .join("  ")
                        .trim_end()
                        .to_string()
                };
                outln!("{}", line(&headers));
                for row in &rows {
                    outln!("{}", line(row));
                }
            }
        }
    }
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A protobuf timestamp as RFC 3339 (pbjson's form); empty for none.
pub fn rfc3339(ts: &Option<pbjson_types::Timestamp>) -> String {
    ts.as_ref()
        .map(|t| {
            serde_json::to_value(t)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}
