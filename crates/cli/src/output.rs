//! How results reach the terminal: tables (or CSV, or the result's JSON),
//! headings and notes, and colour where the terminal wants it.

use std::fmt;
use std::io::IsTerminal;

use anyhow::Result;
use serde::Serialize;

/// `--format`: how a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables with headings and notes, for people.
    Table,
    /// The tables as CSV (headings and notes go nowhere), for spreadsheets.
    Csv,
    /// The result as one JSON document (the application's result type).
    Json,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Never colour.
    Never,
    /// Always colour.
    Always,
}

/// Where a command prints.
pub struct Out {
    pub format: Format,
    color: bool,
}

/// Colours used for emphasis (ANSI SGR codes).
#[derive(Clone, Copy)]
pub enum Tone {
    Good,
    Bad,
    Warn,
    Dim,
    Bold,
}

impl Out {
    pub fn new(format: Format, color: ColorChoice) -> Out {
        let color = format == Format::Table
            && match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
                }
            };
        Out { format, color }
    }

    /// True when the command should print the result's JSON and nothing else.
    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Prints a result as pretty JSON.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        println!("{}", serde_json::to_string_pretty(value)?);
        Ok(())
    }

    /// Prints a table (as CSV with `--format csv`).
    pub fn table(&self, t: &Table) {
        match self.format {
            Format::Csv => print!("{}", t.to_csv()),
            _ => print!("{t}"),
        }
    }

    /// A line for people: printed in table format only.
    pub fn line(&self, text: impl fmt::Display) {
        if self.format == Format::Table {
            println!("{text}");
        }
    }

    /// A warning, on stderr (in every format: it is not part of the data).
    pub fn warn(&self, text: impl fmt::Display) {
        eprintln!("warning: {text}");
    }

    /// `text` in a tone when colour is on.
    pub fn paint(&self, tone: Tone, text: impl fmt::Display) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Bad => "31",
            Tone::Warn => "33",
            Tone::Dim => "2",
            Tone::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// A left-aligned text table; numbers are right-aligned.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|s| s.to_string()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// RFC 4180 CSV: a field with a comma, quote or newline is quoted;
    /// numbers lose their thousands separators so spreadsheets read them.
    pub fn to_csv(&self) -> String {
        let field = |c: &str| {
            let plain = if numeric(c) { strip_ansi(c).replace(',', "") } else { strip_ansi(c) };
            if plain.contains([',', '"', '\n']) {
                format!("\"{}\"", plain.replace('"', "\"\""))
            } else {
                plain
            }
        };
        let mut out = String::new();
        for r in std::iter::once(&self.header).chain(&self.rows) {
            out.push_str(&r.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
        out
    }
}

/// Printable width: ANSI colour codes take no room.
fn width(s: &str) -> usize {
    strip_ansi(s).chars().count()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A cell that reads as a number: digits with separators, signs, units.
fn numeric(c: &str) -> bool {
    let c = strip_ansi(c);
    let core = c
        .trim_start_matches(['+', '-', '$', '<'])
        .trim_end_matches(['%', 'x', 'T', 'm'])
        .trim_end_matches("bn")
        .trim_end_matches("bp");
    !core.is_empty() && core.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',')
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for r in &self.rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(width(c));
            }
        }
        // A column of numbers has its heading right-aligned too.
        let numeric_column: Vec<bool> = (0..n)
            .map(|i| {
                let mut cells = self.rows.iter().filter_map(|r| r.get(i)).filter(|c| !c.is_empty()).peekable();
                cells.peek().is_some() && cells.all(|c| numeric(c))
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String], header: bool| -> fmt::Result {
            let mut out = String::new();
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = " ".repeat(widths[i] - width(c));
                if if header { numeric_column[i] } else { numeric(c) } {
                    out.push_str(&pad);
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    out.push_str(&pad);
                }
                out.push_str("  ");
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &self.header, true)?;
        for r in &self.rows {
            line(f, r, false)?;
        }
        Ok(())
    }
}

/// A table cell for an optional value: empty when absent.
pub fn cell<T: fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_numbers_right_including_units() {
        let mut t = Table::new(&["id", "rows", "chg"]);
        t.row(vec!["rut".into(), "9,686".into(), "+1.2%".into()]);
        t.row(vec!["bitcoin".into(), "12".into(), "-$139bn".into()]);
        t.row(vec!["dgs10".into(), "1".into(), "+6bp".into()]);
        assert_eq!(
            t.to_string(),
            "id        rows      chg\nrut      9,686    +1.2%\nbitcoin     12  -$139bn\ndgs10        1     +6bp\n"
        );
    }

    #[test]
    fn csv_quotes_fields_with_commas_and_drops_colour() {
        let mut t = Table::new(&["date", "close"]);
        t.row(vec!["2026-08-21".into(), "\x1b[32m3,017.87\x1b[0m".into()]);
        t.row(vec!["held, then failed".into(), "say \"hi\"".into()]);
        assert_eq!(t.to_csv(), "date,close\n2026-08-21,3017.87\n\"held, then failed\",\"say \"\"hi\"\"\"\n");
    }
}
