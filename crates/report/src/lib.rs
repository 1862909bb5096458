//! The riskcurve HTML report: the application's [`ReportData`] in, one
//! self-contained HTML file out.
//!
//! Pure: no database, no clock, no network. The charts are server-side SVG
//! drawn by `plotters` (text stays SVG `<text>`, so no font is needed); the
//! page's only script is ours, inline, for hover values and a self-check
//! that every chart is present; the CSS is inline; the report's data is
//! embedded as JSON (`<script id="report-data">`), the same document
//! `riskcurve report --json` prints. Nothing is fetched when the file opens.
//!
//! A chart whose data is missing (or that cannot be drawn) becomes a box that
//! says why; the rest of the report is unaffected.
#![deny(missing_docs)]

pub mod chart;
pub mod charts;
pub mod html;
pub mod tables;

use std::fmt::Write;

use riskcurve_app::report::{Part, ReportData};

use crate::chart::{DrawResult, Figure};
use crate::html::{esc, figure, no_data, script_json};

const TEMPLATE: &str = include_str!("../assets/template.html");
const CSS: &str = include_str!("../assets/report.css");
const SCRIPT: &str = include_str!("../assets/report.js");

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The data could not be written as JSON.
    #[error("report: cannot write the data as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The report as one HTML document.
pub fn render(data: &ReportData) -> Result<String, ReportError> {
    let mut page = Page::default();
    page.price(data)?;
    page.forward(data)?;
    page.liquidity(data)?;
    page.cycles(data)?;
    page.altseason(data)?;
    page.rotation(data)?;
    page.leadlag(data)?;
    page.backtest(data)?;
    page.section("claims", "Claims", "The seed articles' claims as explicit hypotheses, each run on the data with its definition, evidence and verdict, and the verdict under other reasonable definitions.", &match &data.claims {
        Part::Data(c) => tables::claims(c),
        Part::NoData(why) => no_data("claims", "Claims", why),
    });
    page.section(
        "provenance",
        "Data provenance",
        "Where every stored series comes from, what it covers and how fresh it is.",
        &match &data.provenance {
            Part::Data(p) => tables::provenance(p),
            Part::NoData(why) => no_data("provenance", "Data provenance", why),
        },
    );
    let as_of =
        data.status.rungs.iter().filter_map(|r| r.as_of).max().map(|d| d.to_string()).unwrap_or_else(|| "n/a".into());
    let subtitle = format!(
        "Generated for {}; the newest data is from {as_of}. Signal studied: {}.",
        data.today, data.request.signal
    );
    let nav: String =
        page.nav.iter().map(|(id, title)| format!("<a href=\"#{}\">{}</a>", esc(id), esc(title))).collect();
    let fields = [
        ("title", esc(&format!("riskcurve report {}", data.today))),
        ("css", CSS.to_string()),
        ("subtitle", esc(&subtitle)),
        ("nav", nav),
        ("status", tables::status(&data.status)),
        ("sections", page.body),
        ("expected", esc(&page.expected.join(","))),
        ("data", script_json(data)?),
        ("script", SCRIPT.to_string()),
    ];
    Ok(fill(TEMPLATE, &fields))
}

/// The page being built: sections, the navigation and the charts expected.
#[derive(Default)]
struct Page {
    body: String,
    nav: Vec<(String, String)>,
    expected: Vec<String>,
}

impl Page {
    fn section(&mut self, id: &str, title: &str, intro: &str, body: &str) {
        self.nav.push((id.into(), title.into()));
        let _ = write!(
            self.body,
            "<section id=\"{}\"><h2>{}</h2><p class=\"intro\">{}</p>\n{body}</section>\n",
            esc(id),
            esc(title),
            esc(intro)
        );
    }

    /// A figure, or the box that says why there is none.
    fn chart<T>(
        &mut self,
        id: &str,
        title: &str,
        part: &Part<T>,
        draw: impl FnOnce(&T) -> DrawResult<Figure>,
    ) -> Result<String, ReportError> {
        self.expected.push(id.to_string());
        Ok(match part {
            Part::Data(d) => match draw(d) {
                Ok(f) => figure(&f)?,
                Err(e) => no_data(id, title, &format!("the chart could not be drawn: {e}")),
            },
            Part::NoData(why) => no_data(id, title, why),
        })
    }

    fn price(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let fig = self.chart("rut", "Russell 2000 breakouts", &data.price, charts::price::draw)?;
        self.section(
            "breakouts",
            "Breakouts",
            "The narrative's trigger: a new all-time high after the old one stood for a year or more. Grey spans run from the prior high to the breakout; green dots held, red dots closed back below the prior high within the fail window. Hover for values.",
            &fig,
        );
        Ok(())
    }

    fn forward(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let mut body = String::new();
        match &data.forward {
            Part::Data(f) => {
                for t in &f.targets {
                    let id = format!("forward-{}", t.target);
                    let title = format!("{} after each event", t.name);
                    body.push_str(
                        &self.chart(&id, &title, &t.paths, |d| charts::forward::draw(f, &t.target, &t.name, d))?,
                    );
                }
                match &f.study {
                    Part::Data(study) => body.push_str(&tables::events(f, study)),
                    Part::NoData(why) => body.push_str(&no_data("events", "Each event", why)),
                }
            }
            Part::NoData(why) => {
                for t in &data.request.targets {
                    body.push_str(&self.chart::<()>(
                        &format!("forward-{t}"),
                        &format!("{t} after each event"),
                        &Part::NoData(why.clone()),
                        |_| unreachable!(),
                    )?);
                }
            }
        }
        let intro = format!(
            "What Bitcoin, Ether and the alt basket did after each {} event, rebased to 1 at the entry close, against the paths of random dates. Returns in the tables are from the entry close (the first target close after the event date).",
            data.request.signal
        );
        self.section("forward", "After each breakout", &intro, &body);
        Ok(())
    }

    fn liquidity(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let mut body = self.chart(
            "liquidity",
            "Net liquidity and its components",
            &data.liquidity,
            charts::liquidity::components,
        )?;
        body.push_str(&self.chart(
            "liquidity-btc",
            "Net liquidity against Bitcoin",
            &data.liquidity,
            charts::liquidity::against_btc,
        )?);
        self.section("liquidity", "Net liquidity", "The Fed's balance sheet less the Treasury's account and reverse repos: the dollars left in markets, as each value was published.", &body);
        Ok(())
    }

    fn cycles(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let mut body = self.chart("cycles", "Halving cycles", &data.cycles, charts::cycles::draw)?;
        if let Part::Data(c) = &data.cycles {
            body.push_str(&tables::cycles(c));
        }
        self.section(
            "cycles",
            "Halving cycles",
            "Bitcoin from each halving, as a multiple of the halving close: does this cycle look like the others?",
            &body,
        );
        Ok(())
    }

    fn altseason(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let body = self.chart("altseason", "Altcoin season index", &data.altseason, charts::altseason::draw)?;
        self.section(
            "altseason",
            "Altcoin season",
            "The last rung of the curve: are most large altcoins beating Bitcoin?",
            &body,
        );
        Ok(())
    }

    fn rotation(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let mut body = self.chart("rotation", "Rotation graph", &data.rotation, charts::rotation::graph)?;
        body.push_str(&self.chart("stages", "Stage history", &data.rotation, charts::rotation::stages)?);
        self.section("rotation", "Rotation down the curve", "Each rung's strength against the rung before it (large caps, small caps, Bitcoin, Ether, altcoins), and how far down the curve the money has moved.", &body);
        Ok(())
    }

    fn backtest(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let title = "Trading it: buy Bitcoin after each event";
        let mut body = self.chart("backtest", title, &data.backtest, charts::backtest::equity)?;
        body.push_str(&self.chart("drawdown", "Under water", &data.backtest, charts::backtest::drawdown)?);
        if let Part::Data(b) = &data.backtest {
            body.push_str(&tables::backtest(b));
        }
        let intro = format!(
            "What buying Bitcoin after each {} event and holding it {} days would have done, after costs, against holding Bitcoin throughout (riskcurve backtest with its defaults).",
            data.request.signal,
            riskcurve_app::backtest::DEFAULT_HOLD_DAYS
        );
        self.section("backtest", "Trading it", &intro, &body);
        Ok(())
    }

    fn leadlag(&mut self, data: &ReportData) -> Result<(), ReportError> {
        let mut body = self.chart("ccf", "Cross-correlations", &data.leadlag, |l| charts::leadlag::ccf(l))?;
        body.push_str(&self.chart("rolling", "Rolling correlation", &data.leadlag, |l| charts::leadlag::rolling(l))?);
        self.section("leadlag", "Does the Russell 2000 lead Bitcoin?", "Weekly log returns: correlations at leads and lags with two bands, and how the same-week correlation changed over time.", &body);
        Ok(())
    }
}

/// Fills `{{name}}` fields in one pass (a value that happens to contain
/// `{{...}}` is left alone).
fn fill(template: &str, fields: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + fields.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").map(|end| (&after[..end], end)) {
            Some((name, end)) if fields.iter().any(|(n, _)| *n == name) => {
                out.push_str(&fields.iter().find(|(n, _)| *n == name).expect("checked").1);
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_filled_once() {
        let fields = [("a", "{{b}}".to_string()), ("b", "B".to_string())];
        assert_eq!(fill("x {{a}} y {{b}} {{c}}", &fields), "x {{b}} y B {{c}}");
    }
}
