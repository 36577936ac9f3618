//! Barrio packs on the device: downloading one from the server into IndexedDB, and reading
//! it back when its map opens with or without network.

use crate::model::{BarrioPack, PackInfo, PACK_FORMAT};

use super::device::now_ms;
use super::storage::{self, PackOnDevice, StoredPack};

async fn fetch_text(url: &str) -> Result<String, String> {
    let response = gloo_net::http::Request::get(url).send().await.map_err(|_| "sin conexión con el servidor".to_string())?;
    if response.status() == 404 {
        return Err("el servidor no tiene ese mapa".into());
    }
    if !response.ok() {
        return Err(format!("el servidor respondió {}", response.status()));
    }
    response.text().await.map_err(|e| e.to_string())
}

/// What the server offers: the version and size of every barrio's pack.
pub async fn server_packs() -> Result<Vec<PackInfo>, String> {
    let text = fetch_text("/api/v1/packs").await?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// A barrio's blocks, streets and landmarks, fetched to draw faintly under a map that stands
/// without them (staff pages, the report, public pages): not kept on the device.
pub async fn base_layers(barrio_id: i64) -> Option<std::sync::Arc<crate::model::BaseLayers>> {
    let json = fetch_text(&format!("/api/v1/barrios/{barrio_id}/pack")).await.ok()?;
    serde_json::from_str::<BarrioPack>(&json).ok().map(|p| std::sync::Arc::new(p.layers))
}

/// Downloads a barrio's pack and keeps it; returns it once IndexedDB has committed it.
pub async fn download(barrio_id: i64) -> Result<(BarrioPack, PackOnDevice), String> {
    let json = fetch_text(&format!("/api/v1/barrios/{barrio_id}/pack")).await?;
    let pack: BarrioPack = serde_json::from_str(&json).map_err(|e| format!("el mapa recibido está dañado: {e}"))?;
    let stored = StoredPack {
        barrio_id,
        barrio_name: pack.barrio.summary.name.clone(),
        version: pack.version,
        format: pack.format,
        bytes: json.len() as i64,
        saved_at_ms: now_ms(),
        json,
    };
    storage::save_pack(&stored).await.map_err(|e| format!("no se pudo guardar en el dispositivo: {e}"))?;
    Ok((pack, PackOnDevice::from(&stored)))
}

/// The pack kept on the device, if any and if this version of the app can read it.
pub async fn on_device(barrio_id: i64) -> Result<Option<BarrioPack>, String> {
    let Some(stored) = storage::pack(barrio_id).await.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if stored.format != PACK_FORMAT {
        return Ok(None);
    }
    serde_json::from_str(&stored.json).map(Some).map_err(|e| e.to_string())
}
