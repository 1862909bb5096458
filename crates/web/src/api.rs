//! The JSON API: one handler per route, parameters parsed and bounded
//! before any work, the work itself on a blocking thread with a deadline.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use riskcurve_app::breakouts::BreakoutRequest;
use riskcurve_app::claims::ClaimsRequest;
use riskcurve_app::event_study::Request as EventStudyRequest;
use riskcurve_app::liquidity::LiquidityRequest;
use riskcurve_app::rotation::RotationRequest;
use riskcurve_app::series::ShowRequest;
use riskcurve_app::status::{DataNote, DataOrigin, StatusRequest};
use riskcurve_app::{App, AppError};
use riskcurve_core::Calendar;
use riskcurve_signals::altseason::{AltseasonParams, AltseasonRule};
use riskcurve_signals::breakout::{Basis, BreakoutParams};
use riskcurve_signals::rotation::{Frequency, RotationParams};
use riskcurve_signals::spec::SignalSpec;
use riskcurve_stats::EventStudy;
use serde::Serialize;

use crate::params::{ParamResult, Params};
use crate::{error, Shared, REQUEST_TIMEOUT};

type Q = Query<BTreeMap<String, String>>;

/// The most placebo sets one request may ask for.
const MAX_PLACEBOS: usize = 200_000;

/// Runs `work` on a blocking thread with a fresh App; maps its result:
/// bad input 400 (404 when `resource` names a series that is not stored),
/// any other failure 500, a deadline 503.
async fn run<T, F>(shared: Arc<Shared>, resource: bool, work: F) -> Response
where
    T: Serialize + Send + 'static,
    F: FnOnce(&App) -> Result<T, AppError> + Send + 'static,
{
    let task = tokio::task::spawn_blocking(move || work(&(shared.make_app)()));
    match tokio::time::timeout(REQUEST_TIMEOUT, task).await {
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the request took longer than {} s", REQUEST_TIMEOUT.as_secs()),
        ),
        Ok(Err(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal error (the request failed unexpectedly)"),
        Ok(Ok(Ok(value))) => Json(value).into_response(),
        Ok(Ok(Err(e))) => {
            let message = e.one_line();
            let status = if !e.is_bad_input() {
                StatusCode::INTERNAL_SERVER_ERROR
            } else if (resource && message.contains("is not in the database")) || message.contains("no database yet") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            };
            error(status, message)
        }
    }
}

/// Parses parameters with `parse` and runs the work, or answers 400.
async fn with_params<R, T, F>(
    shared: Arc<Shared>,
    q: Q,
    parse: impl FnOnce(&mut Params) -> ParamResult<R>,
    work: F,
) -> Response
where
    R: Send + 'static,
    T: Serialize + Send + 'static,
    F: FnOnce(&App, R) -> Result<T, AppError> + Send + 'static,
{
    let mut params = Params::new(q.0);
    let parsed = parse(&mut params).and_then(|r| params.finish().map(|()| r));
    match parsed {
        Ok(r) => run(shared, false, move |app| work(app, r)).await,
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

pub async fn health(State(shared): State<Arc<Shared>>) -> Response {
    run(shared, false, |app| {
        Ok(serde_json::json!({
            "ok": true,
            "version": env!("CARGO_PKG_VERSION"),
            "today": app.today,
            "database": app.db.display().to_string(),
            "database_exists": app.db.exists(),
        }))
    })
    .await
}

pub async fn status(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| Ok(StatusRequest { offline: true, skip_claims: !p.flag("claims")? }),
        |app, req| {
            // The dashboard reads; it never seeds or fetches (that is `status` and `update`).
            app.open_store()?;
            let data = DataNote { origin: DataOrigin::Stored, message: format!("database {}", app.db.display()) };
            Ok(riskcurve_app::status::current(app, &req, data))
        },
    )
    .await
}

pub async fn series_list(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(shared, q, |_| Ok(()), |app, ()| riskcurve_app::series::list(app)).await
}

pub async fn series_show(State(shared): State<Arc<Shared>>, Path(id): Path<String>, q: Q) -> Response {
    let mut p = Params::new(q.0);
    let req = (|| {
        let req = ShowRequest { id, from: p.date("from")?, to: p.date("to")?, tail: p.parse("tail")? };
        Ok::<_, String>(req)
    })();
    match req.and_then(|r| p.finish().map(|()| r)) {
        Ok(req) => run(shared, true, move |app| riskcurve_app::series::show(app, &req)).await,
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

pub async fn breakouts(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            let basis: Basis = p.parse("basis")?.unwrap_or(Basis::Close);
            let level: Option<f64> = p.parse("level")?;
            if level.is_some_and(|l| !l.is_finite()) {
                return Err("level: must be a finite number".into());
            }
            Ok(BreakoutRequest {
                series: p.string_or("series", "rut"),
                params: BreakoutParams {
                    min_days: p.bounded("min_days", 365, 0, 36_500)?,
                    basis,
                    margin_pct: p.bounded("margin_pct", 0.0, 0.0, 100.0)?,
                    confirm_days: p.bounded("confirm_days", 1, 1, 250)?,
                    fail_sessions: p.bounded("fail_sessions", 20, 1, 2_500)?,
                },
                level,
                trend_window: p.bounded("trend_window", 200, 2, 5_000)?,
                from: p.date("from")?,
                to: p.date("to")?,
            })
        },
        |app, req| riskcurve_app::breakouts::breakouts(app, &req),
    )
    .await
}

/// Event-study parameters, owned (the app's request borrows).
struct EventStudyParams {
    spec: SignalSpec,
    targets: Vec<String>,
    study: EventStudy,
    from: Option<riskcurve_core::Date>,
    to: Option<riskcurve_core::Date>,
    stratify_halving: bool,
}

pub async fn event_study(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            let signal = p.string_or("signal", "breakout:rut:min-days=365");
            let spec: SignalSpec = signal.parse().map_err(|e| format!("signal={signal}: {e}"))?;
            let horizons: Vec<u32> = p
                .list("horizons", "30,90,180,365")
                .iter()
                .map(|h| {
                    h.parse::<u32>()
                        .ok()
                        .filter(|d| (1..=3650).contains(d))
                        .ok_or(format!("horizons: {h} is not 1-3650 days"))
                })
                .collect::<Result<_, _>>()?;
            let study = EventStudy::new(&horizons)
                .map_err(|e| format!("horizons: {e}"))?
                .placebos(p.bounded("placebos", 10_000, 0, MAX_PLACEBOS)?)
                .seed(p.bounded("seed", 42, 0, u64::MAX)?)
                .exclude_days(p.bounded("exclude_days", 30, 0, 3650)?);
            Ok(EventStudyParams {
                spec,
                targets: p.list("targets", "btc,eth,alts"),
                study,
                from: p.date("from")?,
                to: p.date("to")?,
                stratify_halving: p.flag("stratify_halving")?,
            })
        },
        |app, r| {
            let req = EventStudyRequest {
                spec: &r.spec,
                targets: &r.targets,
                study: r.study,
                from: r.from,
                to: r.to,
                stratify_halving: r.stratify_halving,
            };
            riskcurve_app::event_study::event_study(app, &req)
        },
    )
    .await
}

pub async fn liquidity(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            let calendar = match p.string_or("calendar", "nyse").as_str() {
                "nyse" => Calendar::Nyse,
                "crypto" => Calendar::Crypto,
                other => return Err(format!("calendar={other}: expected nyse or crypto")),
            };
            Ok(LiquidityRequest {
                calendar,
                from: p.date("from")?,
                to: p.date("to")?,
                dead_band: p.bounded("dead_band", 0.0, 0.0, 1e9)?,
            })
        },
        |app, req| riskcurve_app::liquidity::liquidity(app, &req),
    )
    .await
}

pub async fn altseason(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            let rule: AltseasonRule = p.parse("rule")?.unwrap_or(AltseasonRule::BlockchainCenter);
            let params = AltseasonParams {
                rule,
                window: p.bounded("window", 90, 1, 3650)?,
                step: p.bounded("step", 1, 1, 365)?,
                ..AltseasonParams::default()
            };
            Ok((params, p.date("from")?, p.date("to")?))
        },
        |app, (params, from, to)| riskcurve_app::altseason::altseason_index(app, &params, from, to),
    )
    .await
}

pub async fn rotation(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            let frequency: Frequency = p.parse("freq")?.unwrap_or(Frequency::Weekly);
            Ok(RotationRequest {
                rungs: p.list("rungs", "spx,rut,btc,eth,alts"),
                params: RotationParams {
                    frequency,
                    ratio_window: p.bounded("ratio_window", 10, 2, 520)?,
                    momentum_lag: p.bounded("momentum_lag", 4, 1, 520)?,
                    ..RotationParams::default()
                },
                from: p.date("from")?,
                to: p.date("to")?,
            })
        },
        |app, req| riskcurve_app::rotation::rotation(app, &req),
    )
    .await
}

pub async fn claims(State(shared): State<Arc<Shared>>, q: Q) -> Response {
    with_params(
        shared,
        q,
        |p| {
            Ok(ClaimsRequest {
                as_of: p.date("as_of")?,
                claims_file: None,
                ids: p.list("id", ""),
                placebos: p.bounded("placebos", 2_000, 0, MAX_PLACEBOS)?,
            })
        },
        |app, req| riskcurve_app::claims::claims(app, &req),
    )
    .await
}
