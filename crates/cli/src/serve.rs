//! `riskcurve serve`: the dashboard and JSON API on a local address.

use std::net::SocketAddr;

use anyhow::Result;
use riskcurve_app::{App, AppError};
use riskcurve_web::{serve, ServeOptions};

use crate::output::Out;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; another than loopback needs --allow-remote and RISKCURVE_TOKEN.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow a non-loopback address (every request must then carry RISKCURVE_TOKEN).
    #[arg(long)]
    allow_remote: bool,
    /// Token every request must carry (`Authorization: Bearer TOKEN` or `?token=`).
    #[arg(long, env = "RISKCURVE_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

pub fn run(app: &App, out: &Out, args: ServeArgs) -> Result<()> {
    let opts = ServeOptions { addr: args.addr, allow_remote: args.allow_remote, token: args.token };
    let (db, catalog) = (app.db.clone(), app.catalog.clone());
    // A fresh clock per request: a server that runs for days counts ages to the right day.
    let make_app = Box::new(move || App::at(db.clone(), catalog.clone(), crate::now_unix()));
    let json = out.is_json();
    serve(&opts, make_app, |addr| {
        if json {
            println!("{}", serde_json::json!({ "listening": format!("http://{addr}") }));
        } else {
            println!("riskcurve dashboard on http://{addr}/ (JSON API under /api; Ctrl-C stops)");
        }
    })
    .map_err(|e| if e.is_bad_input() { AppError::BadInput(e.to_string()).into() } else { anyhow::Error::new(e) })
}
