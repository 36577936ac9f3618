//! Pasos 1–2 of the ruta for the Secretaría's staff: the balance of security per barrio
//! (`/balance`), its printed informe, the projector view for the Comité Interinstitucional,
//! the oficio de convocatoria, and the admin page of indicators, imports and the ISCB.

mod admin;
mod mapa;
mod oficio;
mod page;
mod print;
mod projector;

pub use admin::IndicadoresPage;
pub use oficio::{OficioPage, OficioPrintPage};
pub use page::BalancePage;
pub use print::BalancePrintPage;
pub use projector::BalanceProjectorPage;

use crate::model::balance::informe::{Balance, FilaBalance};
use crate::model::balance::periodo::Periodo;
use crate::model::words::number_es;

/// What a balance is asked for: every part optional (the server picks the newest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pedido {
    pub municipio: String,
    pub periodo: Option<Periodo>,
    pub version: Option<u32>,
}

impl Pedido {
    /// Reads the page's query (`?periodo=2026-C3&version=2&municipio=47001`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Pedido {
        Pedido {
            municipio: get("municipio").unwrap_or_default(),
            periodo: get("periodo").as_deref().and_then(Periodo::parse),
            version: get("version").and_then(|v| v.parse().ok()),
        }
    }

    /// The query string, without `?`; empty when nothing is asked.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.municipio.is_empty() {
            parts.push(format!("municipio={}", self.municipio));
        }
        if let Some(p) = self.periodo {
            parts.push(format!("periodo={}", p.code()));
        }
        if let Some(v) = self.version {
            parts.push(format!("version={v}"));
        }
        parts.join("&")
    }

    /// `path` with the query, if any.
    pub fn url(&self, path: &str) -> String {
        let q = self.query();
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }

    /// The same balance named exactly (what the server answered), so the print and the
    /// projector show what the page showed even after a newer import.
    pub fn of(balance: &Balance) -> Pedido {
        Pedido { municipio: balance.municipio.clone(), periodo: Some(balance.periodo), version: Some(balance.definicion.version) }
    }
}

/// A change of the index as words and an arrow: positive is safer.
pub fn cambio_es(delta: Option<f64>) -> (String, &'static str) {
    match delta {
        None => ("–".into(), "flat"),
        Some(d) if d.abs() < 0.05 => ("= 0,0".into(), "flat"),
        Some(d) if d > 0.0 => (format!("▲ {}", number_es(d, 1)), "up"),
        Some(d) => (format!("▼ {}", number_es(-d, 1)), "down"),
    }
}

/// The range every trend line is drawn on.
pub fn trend_range(filas: &[FilaBalance]) -> (f64, f64) {
    let all = filas.iter().flat_map(|f| f.tendencia.iter().flatten().copied()).filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        (0.0, 100.0)
    } else {
        (lo, hi)
    }
}

/// The "datos de ejemplo" warning every view of generated data carries.
#[leptos::component]
pub fn EjemploBanner(ejemplo: bool) -> impl leptos::IntoView {
    use leptos::prelude::*;
    ejemplo.then(|| {
        view! {
            <p class="ejemplo-banner" role="note" data-testid="datos-de-ejemplo">
                <strong>"Datos de ejemplo"</strong>
                " — cifras generadas para mostrar la herramienta, no del Observatorio. Una importación real las reemplaza."
            </p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_through_its_query() {
        let p = Pedido { municipio: "47001".into(), periodo: Periodo::new(2026, 3), version: Some(2) };
        assert_eq!(p.query(), "municipio=47001&periodo=2026-C3&version=2");
        let back = Pedido::from_query(|k| p.query().split('&').find_map(|kv| kv.split_once('=').filter(|(a, _)| *a == k).map(|(_, v)| v.to_string())));
        assert_eq!(back, p);
        assert_eq!(Pedido::default().url("/balance"), "/balance");
        assert_eq!(Pedido::from_query(|k| (k == "periodo").then(|| "no".to_string())), Pedido::default(), "a bad period is ignored");
    }

    #[test]
    fn changes_read_as_arrows_with_colombian_decimals() {
        assert_eq!(cambio_es(Some(3.25)), ("▲ 3,2".to_string(), "up"));
        assert_eq!(cambio_es(Some(-1.5)), ("▼ 1,5".to_string(), "down"));
        assert_eq!(cambio_es(Some(0.01)).1, "flat");
        assert_eq!(cambio_es(None).0, "–");
    }
}
