//! Progress bars for long work: shown on a terminal's stderr, silent when
//! stderr is not a terminal or the output is JSON.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use riskcurve_app::Progress;

/// An indicatif bar behind the application's progress trait.
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new(json: bool) -> Bar {
        let visible = !json && std::io::stderr().is_terminal();
        Bar(if visible { ProgressBar::new(0) } else { ProgressBar::hidden() })
    }
}

impl Progress for Bar {
    fn start(&self, len: u64, what: &str) {
        self.0.set_length(len);
        self.0.set_position(0);
        let template = format!("{what} {{bar:30}} {{pos}}/{{len}} {{msg}}");
        self.0.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    }

    fn step(&self, msg: &str) {
        self.0.set_message(msg.to_string());
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
