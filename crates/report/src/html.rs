//! HTML pieces: escaping, tables, figures and "no data" boxes.
//!
//! Every text that comes from data goes through [`esc`] (element content and
//! attribute values alike); JSON inside `<script>` goes through
//! [`script_json`], so no value can close the element it sits in.

use std::fmt::Write;

use serde::Serialize;

use crate::chart::{Figure, HoverMode};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script type="application/json">`: `<`, `>` and `&`
/// become `\u` escapes, which JSON reads back as the same characters.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string(value)?;
    Ok(text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

/// A figure: the SVG, its hover points and its note.
pub fn figure(f: &Figure) -> serde_json::Result<String> {
    let mode = match f.mode {
        HoverMode::X => "x",
        HoverMode::Xy => "xy",
    };
    let mut out = String::new();
    let _ = write!(out, "<figure class=\"chart\" data-chart=\"{}\" data-hover=\"{mode}\">", esc(&f.id));
    out.push_str(&f.svg);
    let _ = write!(out, "<script type=\"application/json\" class=\"hover\">{}</script>", script_json(&f.hover)?);
    if !f.note.is_empty() {
        let _ = write!(out, "<figcaption>{}</figcaption>", lines(&f.note));
    }
    out.push_str("</figure>\n");
    Ok(out)
}

/// The box a chart without data shows instead.
pub fn no_data(id: &str, title: &str, reason: &str) -> String {
    format!(
        "<div class=\"nodata\" data-chart=\"{}\"><strong>{}</strong><p>no data: {}</p></div>\n",
        esc(id),
        esc(title),
        esc(reason)
    )
}

/// A table cell's tone (a CSS class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Plain.
    Plain,
    /// Right-aligned number.
    Num,
    /// Good news (ON, supported, held).
    Good,
    /// Bad news (failed, contradicted).
    Bad,
    /// A warning (STALE, so far).
    Warn,
    /// Less important.
    Dim,
    /// A date (never wrapped).
    Date,
}

impl Tone {
    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Plain => "",
            Tone::Num => "num",
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Warn => "warn",
            Tone::Dim => "dim",
            Tone::Date => "date",
        }
    }
}

/// A table whose cells are escaped text (a line break in a cell starts a new line).
#[derive(Debug, Default)]
pub struct Table {
    head: Vec<String>,
    rows: Vec<Vec<(String, Tone)>>,
    class: String,
}

impl Table {
    /// A table with these column headings.
    pub fn new(class: &str, head: &[&str]) -> Table {
        Table { head: head.iter().map(|h| h.to_string()).collect(), rows: Vec::new(), class: class.into() }
    }

    /// Adds a row of (text, tone) cells.
    pub fn row(&mut self, cells: Vec<(String, Tone)>) {
        self.rows.push(cells);
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table's HTML.
    pub fn html(&self) -> String {
        let mut out = format!("<div class=\"scroll\"><table class=\"{}\"><thead><tr>", esc(&self.class));
        for h in &self.head {
            let _ = write!(out, "<th>{}</th>", esc(h));
        }
        out.push_str("</tr></thead><tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (text, tone) in row {
                match tone {
                    Tone::Plain => {
                        let _ = write!(out, "<td>{}</td>", lines(text));
                    }
                    t => {
                        let _ = write!(out, "<td class=\"{}\">{}</td>", t.class(), lines(text));
                    }
                }
            }
            // Short rows are padded, so every row has every column.
            for _ in row.len()..self.head.len() {
                out.push_str("<td></td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
        out
    }
}

/// Escaped text whose line breaks become `<br>`.
pub fn lines(text: &str) -> String {
    esc(text).replace('\n', "<br>")
}

/// A plain cell.
pub fn cell(text: impl Into<String>) -> (String, Tone) {
    (text.into(), Tone::Plain)
}

/// A date cell (empty for none).
pub fn date(d: Option<riskcurve_core::Date>) -> (String, Tone) {
    (d.map(|d| d.to_string()).unwrap_or_default(), Tone::Date)
}

/// A cell with a tone.
pub fn toned(text: impl Into<String>, tone: Tone) -> (String, Tone) {
    (text.into(), tone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_data_cannot_break_out() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        let json = script_json(&["</script><b>"]).unwrap();
        assert!(!json.contains('<') && !json.contains('>'));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec!["</script><b>".to_string()]);
    }

    #[test]
    fn tables_escape_every_cell() {
        let mut t = Table::new("x", &["a<b"]);
        t.row(vec![toned("<i>", Tone::Bad)]);
        let html = t.html();
        assert!(html.contains("<th>a&lt;b</th>") && html.contains("<td class=\"bad\">&lt;i&gt;</td>"));
    }
}
