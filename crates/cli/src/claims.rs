//! `riskcurve claims`: the seed articles' claims run on the stored data.

use anyhow::Result;
use riskcurve_app::claims::{claims, ClaimsRequest, Verdict};
use riskcurve_app::{parse_date, App};

use crate::output::{Format, Out, Table, Tone};

#[derive(clap::Args)]
pub struct ClaimsArgs {
    /// Judge the claims on the data up to this date.
    #[arg(long)]
    as_of: Option<String>,
    /// More claims in the same form, read after the default ones.
    #[arg(long, env = "RISKCURVE_CLAIMS")]
    claims: Option<std::path::PathBuf>,
    /// Only these claim ids (comma list, e.g. C4,C8).
    #[arg(long, value_delimiter = ',')]
    id: Vec<String>,
    /// Placebo sets of the event-study claims (0-1000000).
    #[arg(long, default_value_t = 20_000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1_000_000))]
    placebos: usize,
}

pub fn run(app: &App, out: &Out, args: ClaimsArgs) -> Result<()> {
    let req = ClaimsRequest {
        as_of: parse_date("as-of", args.as_of.as_deref())?,
        claims_file: args.claims,
        ids: args.id,
        placebos: args.placebos,
    };
    let report = claims(app, &req)?;
    if out.is_json() {
        return out.json(&report);
    }
    if out.format == Format::Csv {
        let mut t = Table::new(&["id", "definition", "verdict", "n", "evidence"]);
        for c in &report.claims {
            for o in std::iter::once(&c.main).chain(&c.variants) {
                t.row(vec![
                    c.id.clone(),
                    o.definition.clone(),
                    o.verdict.as_str().into(),
                    o.n.map(|n| n.to_string()).unwrap_or_default(),
                    o.evidence.clone(),
                ]);
            }
        }
        out.table(&t);
        return Ok(());
    }
    let word = |v: Verdict| {
        let tone = match v {
            Verdict::Supported => Tone::Good,
            Verdict::Contradicted => Tone::Bad,
            Verdict::Inconclusive => Tone::Warn,
            Verdict::NoData => Tone::Dim,
        };
        out.paint(tone, v.as_str())
    };
    out.line(format!("claims judged on the data up to {}", report.as_of));
    for r in &report.claims {
        out.line(format!("\n{} [{}] {}", out.paint(Tone::Bold, &r.id), word(r.main.verdict), r.claim));
        out.line(format!("    definition: {}", r.main.definition));
        out.line(format!("    evidence:   {}", r.main.evidence));
        for v in &r.variants {
            out.line(format!("    variant [{}] {}: {}", word(v.verdict), v.definition, v.evidence));
        }
    }
    Ok(())
}
