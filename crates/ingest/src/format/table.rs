//! CSV reading shared by every tabular format: physical line numbers, field
//! counts, number and date fields, and the strict/lenient split.
//!
//! Rows are read with `csv::ByteRecord` (no `String` per field) and handed to
//! a closure that returns `Err(problem)` for a bad row. Strict mode turns the
//! first problem into an [`IngestError::File`] naming the line; lenient mode
//! records it in [`Skipped`] and carries on.

use csv::{ByteRecord, ReaderBuilder};
use riskcurve_core::Date;

use super::ohlc::SeriesBuilder;
use crate::{IngestError, Parsed, Skipped};

/// A CSV body with its header (if it has one), ready to be read row by row.
pub(super) struct Table<'a> {
    file: &'a str,
    reader: csv::Reader<&'a [u8]>,
    /// The text given to the reader.
    body: &'a [u8],
    /// Physical lines before `body` (banner lines).
    line_offset: usize,
    /// Line counting so far: `body[..counted_to]` ends on line `counted_line`.
    counted_to: usize,
    counted_line: usize,
    /// Header cells as written (trimmed); empty for headerless files.
    header: Vec<String>,
    /// The header's 1-based line.
    header_line: usize,
    /// Fields every row must have; 0 means "as many as the first row".
    width: usize,
}

/// The fields of one data row.
pub(super) struct Row<'r> {
    record: &'r ByteRecord,
}

/// What reading the rows produced besides the rows themselves.
#[derive(Debug)]
pub(super) struct RowsRead {
    /// Bad rows left out under `lenient`.
    pub skipped: Vec<Skipped>,
    /// Data rows seen (good, blank or bad).
    pub rows: usize,
}

impl<'a> Table<'a> {
    /// A table whose first line (after `skip_lines` banner lines) is a header.
    pub fn with_header(file: &'a str, text: &'a str, skip_lines: usize) -> Result<Table<'a>, IngestError> {
        let mut table = Table::headerless(file, text, skip_lines, 0);
        let mut record = ByteRecord::new();
        let found = table.reader.read_byte_record(&mut record).map_err(|e| table.csv_error(&e))?;
        if !found {
            return Err(IngestError::file(file, None, "no header line"));
        }
        table.header = record.iter().map(|cell| String::from_utf8_lossy(cell).trim().to_string()).collect();
        table.header_line = table.line_of(&record);
        table.width = table.header.len();
        Ok(table)
    }

    /// A table without a header; `width` 0 takes the first row's width.
    pub fn headerless(file: &'a str, text: &'a str, skip_lines: usize, width: usize) -> Table<'a> {
        let body = skip(text, skip_lines);
        let reader = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body.as_bytes());
        Table {
            file,
            reader,
            body: body.as_bytes(),
            line_offset: skip_lines,
            counted_to: 0,
            counted_line: 1,
            header: Vec::new(),
            header_line: skip_lines + 1,
            width,
        }
    }

    /// The header cells as written.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Index of the header cell equal (ignoring ASCII case) to the first of
    /// `names` that the header has.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.header.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// An error about the header, listing its columns.
    pub fn header_error(&self, problem: &str) -> IngestError {
        let problem = format!("{problem} (columns: {})", super::cut(&self.header.join(", ")));
        IngestError::file(self.file, Some(self.header_line), problem)
    }

    /// Calls `f` on every data row in file order. A row whose field count is
    /// wrong never reaches `f`. Problems are fatal unless `lenient`.
    pub fn rows(
        mut self,
        lenient: bool,
        mut f: impl FnMut(&Row<'_>) -> Result<(), String>,
    ) -> Result<RowsRead, IngestError> {
        let mut problems = Problems::new(self.file, lenient);
        let mut rows = 0;
        let (mut current, mut next) = (ByteRecord::new(), ByteRecord::new());
        let mut have = self.reader.read_byte_record(&mut current).map_err(|e| self.csv_error(&e))?;
        while have {
            // One row of look-ahead, so a short last line can be called truncated.
            let more = self.reader.read_byte_record(&mut next).map_err(|e| self.csv_error(&e))?;
            rows += 1;
            let line = self.line_of(&current);
            if self.width == 0 {
                self.width = current.len();
            }
            let outcome = if current.len() != self.width {
                Err(self.width_problem(current.len(), !more))
            } else {
                f(&Row { record: &current })
            };
            problems.check(line, outcome)?;
            std::mem::swap(&mut current, &mut next);
            have = more;
        }
        Ok(RowsRead { skipped: problems.skipped, rows })
    }

    /// The physical line a record starts on. The reader's own line count
    /// lags behind CRLF endings and blank lines (it records where the
    /// previous record stopped), so count from the byte offset instead: the
    /// record starts after any line endings that follow that offset.
    fn line_of(&mut self, record: &ByteRecord) -> usize {
        let mut start = record.position().map_or(0, |p| p.byte() as usize).min(self.body.len());
        while start < self.body.len() && matches!(self.body[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.counted_to {
            self.counted_line += newlines(&self.body[self.counted_to..start]);
            self.counted_to = start;
        }
        self.line_offset + self.counted_line
    }

    fn width_problem(&self, got: usize, last: bool) -> String {
        let fields = if got == 1 { "field" } else { "fields" };
        let expected = if self.header.is_empty() {
            format!("expected {}", self.width)
        } else {
            format!("header has {}", self.width)
        };
        let hint = if last && got < self.width { ": truncated?" } else { "" };
        format!("line has {got} {fields}, {expected}{hint}")
    }

    fn csv_error(&self, e: &csv::Error) -> IngestError {
        let line = e.position().map(|p| {
            let end = (p.byte() as usize).min(self.body.len());
            self.line_offset + 1 + newlines(&self.body[..end])
        });
        IngestError::file(self.file, line, format!("unreadable csv: {e}").to_lowercase())
    }
}

impl<'r> Row<'r> {
    /// Field `i`, trimmed ("" when absent).
    pub fn text(&self, i: usize) -> &'r str {
        // The input was a &str and the reader splits on ASCII bytes, so every
        // field is valid UTF-8; "" is only a fallback.
        std::str::from_utf8(self.record.get(i).unwrap_or_default()).unwrap_or_default().trim()
    }
}

/// Routes row problems: the first is fatal when strict; when lenient each
/// is recorded and the row left out.
pub(super) struct Problems<'a> {
    file: &'a str,
    lenient: bool,
    /// Rows left out so far.
    pub skipped: Vec<Skipped>,
}

impl<'a> Problems<'a> {
    /// No problems yet.
    pub fn new(file: &'a str, lenient: bool) -> Problems<'a> {
        Problems { file, lenient, skipped: Vec::new() }
    }

    /// Passes `Ok` through; turns a problem on `line` into an error or a skip.
    pub fn check(&mut self, line: usize, outcome: Result<(), String>) -> Result<(), IngestError> {
        match outcome {
            Ok(()) => Ok(()),
            Err(problem) if !self.lenient => Err(IngestError::file(self.file, Some(line), problem)),
            Err(problem) => {
                self.skipped.push(Skipped { line, problem });
                Ok(())
            }
        }
    }
}

impl RowsRead {
    /// The result of a one-series file, refusing a file with no values.
    pub fn single(self, file: &str, series: SeriesBuilder) -> Result<Parsed, IngestError> {
        if series.is_empty() {
            return Err(self.nothing_usable(file));
        }
        Ok(Parsed { series: vec![series.finish(None)], universe: Vec::new(), skipped: self.skipped })
    }

    /// The error for a file that yielded nothing.
    pub fn nothing_usable(&self, file: &str) -> IngestError {
        let problem = match self.skipped.first() {
            _ if self.rows == 0 => "no data rows after the header".to_string(),
            None => "no values: every row is blank or missing".to_string(),
            Some(first) => format!(
                "no usable rows: all {} bad rows skipped, the first at line {}: {}",
                self.skipped.len(),
                first.line,
                first.problem
            ),
        };
        IngestError::file(file, None, problem)
    }
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// `text` without its first `lines` lines.
pub(super) fn skip(text: &str, lines: usize) -> &str {
    let mut rest = text;
    for _ in 0..lines {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

/// A finite number; `what` names the field in the message.
pub(super) fn number(text: &str, what: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{what} {} is not finite", super::quoted(text))),
        Err(_) if text.is_empty() => Err(format!("{what} is missing")),
        Err(_) => Err(format!("{what} {} is not a number", super::quoted(text))),
    }
}

/// A finite price above zero.
pub(super) fn price(text: &str, what: &str) -> Result<f64, String> {
    let v = number(text, what)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{what} {} is not positive", super::quoted(text)))
    }
}

/// A finite volume, zero allowed.
pub(super) fn volume(text: &str) -> Result<f64, String> {
    let v = number(text, "volume")?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("volume {} is negative", super::quoted(text)))
    }
}

/// A date field: `YYYY-MM-DD` (with or without a time part), `YYYYMMDD`,
/// broker style `20160628  16:00:00`, or a Unix timestamp in s, ms or µs (UTC).
pub(super) fn date(text: &str) -> Result<Date, String> {
    if let Ok(d) = text.parse::<Date>() {
        return Ok(d);
    }
    if let Some(d) = epoch_date(text) {
        return Ok(d);
    }
    if let Some((head, _)) = text.split_once(char::is_whitespace) {
        if let Ok(d) = head.parse::<Date>() {
            return Ok(d);
        }
    }
    Err(format!("date {} is not a date (expected YYYY-MM-DD)", super::quoted(text)))
}

/// Seconds since the epoch of a Unix timestamp given in s, ms or µs, told
/// apart by size (s until the year 5138, ms from 1973, µs from 1973).
pub(super) fn epoch_seconds(text: &str) -> Option<i64> {
    if !(9..=16).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = text.parse().ok()?;
    Some(match n {
        n if n >= 100_000_000_000_000 => n / 1_000_000,
        n if n >= 100_000_000_000 => n / 1_000,
        n => n,
    })
}

/// The UTC date of a Unix timestamp (see [`epoch_seconds`]).
pub(super) fn epoch_date(text: &str) -> Option<Date> {
    epoch_seconds(text).map(Date::from_unix_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-made input: line numbers must be physical lines, CRLF, blank lines
    // and a banner included.
    #[test]
    fn line_numbers_are_physical() {
        let crlf = "banner\r\nh1,h2\r\n\r\na,1\r\n\r\nb,2\r\n\"c\nc\",3\r\nd,4";
        for text in [crlf.to_string(), crlf.replace("\r\n", "\n")] {
            let table = Table::with_header("t.csv", &text, 1).unwrap();
            assert_eq!(table.header(), ["h1", "h2"]);
            let read = table.rows(true, |row| Err(row.text(0).to_string())).unwrap();
            let lines: Vec<(usize, &str)> = read.skipped.iter().map(|s| (s.line, s.problem.as_str())).collect();
            assert_eq!(lines, [(4, "a"), (6, "b"), (7, "c\nc"), (9, "d")], "{text:?}");
            assert_eq!(read.rows, 4);
        }
    }

    #[test]
    fn short_last_line_is_called_truncated_and_short_middle_line_is_not() {
        let table = Table::with_header("t.csv", "a,b,c\n1,2,3\n1,2\n", 0).unwrap();
        let err = table.rows(false, |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "t.csv:3: line has 2 fields, header has 3: truncated?");
        let table = Table::with_header("t.csv", "a,b,c\n1\n1,2,3\n", 0).unwrap();
        let err = table.rows(false, |_| Ok(())).unwrap_err();
        assert_eq!(err.to_string(), "t.csv:2: line has 1 field, header has 3");
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(number("abc", "close").unwrap_err(), r#"close "abc" is not a number"#);
        assert_eq!(number("inf", "close").unwrap_err(), r#"close "inf" is not finite"#);
        assert_eq!(number("1e999", "open").unwrap_err(), r#"open "1e999" is not finite"#);
        assert_eq!(price("0", "low").unwrap_err(), r#"low "0" is not positive"#);
        assert_eq!(volume("-3").unwrap_err(), r#"volume "-3" is negative"#);
        assert_eq!(volume("0").unwrap(), 0.0);
        let d: Date = "2017-08-17".parse().unwrap();
        for text in
            ["2017-08-17", "20170817", "2017-08-17 00:00:00", "20170817  16:00:00", "1502928000000", "1502928000"]
        {
            assert_eq!(date(text), Ok(d), "{text}");
        }
        assert_eq!(date("1502928000000000"), Ok(d));
        assert!(date("17/08/2017").unwrap_err().contains(r#"date "17/08/2017" is not a date"#));
    }
}
