//! `POST /api/v1/admin/import`: barrios and city-wide base layers uploaded as GeoJSON, with
//! the same per-feature report as the `import` command; for admins only.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value as Json_;

use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::import::dissolve::DissolveOptions;
use crate::import::layers::{LayerFiles, LayerOptions};
use crate::import::plan::{is_municipio, plan_import, ImportFiles, ImportOptions, ImportSummary, DEFAULT_MAX_MOVE_M};
use app::model::SANTA_MARTA_MUNICIPIO;

/// The upload: each file is a FeatureCollection given inline; any may be left out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    barrios: Option<Json_>,
    streets: Option<Json_>,
    blocks: Option<Json_>,
    landmarks: Option<Json_>,
    #[serde(default)]
    options: RequestOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RequestOptions {
    /// The city's DIVIPOLA code (5 digits); Santa Marta's (47001) when left out.
    municipio: Option<String>,
    /// Replace boundaries that move far, stop overlapping or have marks (else: 422).
    replace: bool,
    /// How far a boundary's centroid may move without `replace`, in metres.
    max_move_m: Option<f64>,
    name_property: Option<String>,
    comuna_property: Option<String>,
    code_property: Option<String>,
    street_name_property: Option<String>,
    landmark_kind_property: Option<String>,
    landmark_name_property: Option<String>,
    margin_m: Option<f64>,
    barrio_source: Option<String>,
    layer_source: Option<String>,
    demo_for_missing: Option<bool>,
    /// Report what would happen without writing anything.
    dry_run: bool,
}

/// Longest attribution kept: it is shown beside every map.
const MAX_SOURCE_CHARS: usize = 300;

impl RequestOptions {
    fn into_import_options(self) -> Result<(ImportOptions, bool), ApiError> {
        let margin_m = self.margin_m.unwrap_or(30.0);
        if !(0.0..=500.0).contains(&margin_m) {
            return Err(ApiError::InvalidOption {
                field: "options.margin_m",
                es: "El margen debe estar entre 0 y 500 metros.".into(),
                en: "The margin must be between 0 and 500 metres.".into(),
            });
        }
        for (field, value) in [("options.barrio_source", &self.barrio_source), ("options.layer_source", &self.layer_source)] {
            if value.as_ref().is_some_and(|s| s.chars().count() > MAX_SOURCE_CHARS) {
                return Err(ApiError::InvalidOption {
                    field,
                    es: format!("La fuente puede tener como máximo {MAX_SOURCE_CHARS} caracteres."),
                    en: format!("The source may have at most {MAX_SOURCE_CHARS} characters."),
                });
            }
        }
        let municipio = self.municipio.unwrap_or_else(|| SANTA_MARTA_MUNICIPIO.into());
        if !is_municipio(&municipio) {
            return Err(ApiError::InvalidOption {
                field: "options.municipio",
                es: "El municipio es su código DIVIPOLA de 5 dígitos (Santa Marta: 47001).".into(),
                en: "The municipio is its 5-digit DIVIPOLA code (Santa Marta: 47001).".into(),
            });
        }
        let max_move_m = self.max_move_m.unwrap_or(DEFAULT_MAX_MOVE_M);
        if !(max_move_m.is_finite() && max_move_m >= 0.0) {
            return Err(ApiError::InvalidOption {
                field: "options.max_move_m",
                es: "La distancia máxima de movimiento es un número de metros, 0 o más.".into(),
                en: "The largest move is a number of metres, 0 or more.".into(),
            });
        }
        let defaults = LayerOptions::default();
        let options = ImportOptions {
            municipio,
            max_move_m,
            replace: self.replace,
            barrios: DissolveOptions {
                name_property: self.name_property.unwrap_or_else(|| "name".into()),
                comuna_property: self.comuna_property,
                code_property: self.code_property,
                ..Default::default()
            },
            layers: LayerOptions {
                margin_m,
                street_name_property: self.street_name_property.unwrap_or(defaults.street_name_property),
                landmark_kind_property: self.landmark_kind_property.unwrap_or(defaults.landmark_kind_property),
                landmark_name_property: self.landmark_name_property.unwrap_or(defaults.landmark_name_property),
                source: self.layer_source.unwrap_or_else(|| "Capas importadas por la administración.".into()),
                ..defaults
            },
            barrio_source: self.barrio_source.unwrap_or_else(|| "Límites importados por la administración.".into()),
            demo_for_missing: self.demo_for_missing.unwrap_or(true),
        };
        Ok((options, self.dry_run))
    }
}

pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ImportSummary>), ApiError> {
    let admin = caller.admin()?.clone();
    let body = body.map_err(|r| ApiError::from_body_rejection(r, state.max_import_bytes))?;
    let request: ImportRequest = serde_json::from_slice(&body).map_err(|e| ApiError::UnreadableBody(e.to_string()))?;
    let (options, dry_run) = request.options.into_import_options()?;
    let to_bytes = |v: Option<Json_>| v.map(|v| serde_json::to_vec(&v)).transpose().map_err(|e| ApiError::UnreadableBody(e.to_string()));
    let (barrios, streets, blocks, landmarks) =
        (to_bytes(request.barrios)?, to_bytes(request.streets)?, to_bytes(request.blocks)?, to_bytes(request.landmarks)?);
    let stored = state.store.stored_barrios(&options.municipio).await?;
    // Dissolving and clipping a city takes seconds of CPU: keep it off the async workers.
    let plan = tokio::task::spawn_blocking(move || {
        let files = ImportFiles {
            barrios: barrios.as_deref(),
            layers: LayerFiles { streets: streets.as_deref(), blocks: blocks.as_deref(), landmarks: landmarks.as_deref() },
        };
        plan_import(files, &options, &stored)
    })
    .await
    .map_err(|e| ApiError::Store(crate::store::StoreError::Worker(e.to_string())))??;
    let mut summary = plan.summary.clone();
    summary.dry_run = dry_run;
    if dry_run {
        return Ok((StatusCode::OK, Json(summary)));
    }
    summary.packs = state.store.apply_import(plan).await?.packs_written;
    tracing::info!(
        municipio = %summary.municipio,
        added = summary.barrios_added,
        updated = summary.barrios_updated,
        packs = summary.packs,
        "import applied"
    );
    let detail = format!(
        "municipio {}: {} barrios nuevos, {} actualizados ({} límites reemplazados), {} paquetes",
        summary.municipio,
        summary.barrios_added,
        summary.barrios_updated,
        summary.replaced.len(),
        summary.packs
    );
    state.store.audit(Some(&admin), "import", String::new(), detail, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(summary)))
}
