//! Preparing a workshop (facilitator, online) and joining one by code (participant, online
//! once): each keeps the workshop on the device, with its barrio's map and the marks already
//! drawn in it, so the rest works offline.

use super::device::now_ms;
use super::sync_store::{self, StoredWorkshop};
use super::{packs, sync};
use crate::components::status::SyncState;
use crate::model::{JoinReply, Workshop, WorkshopDraft};

/// The server's message for a refusal, or a plain one.
async fn refusal(response: gloo_net::http::Response) -> String {
    let status = response.status();
    sync::error_message(response).await.unwrap_or_else(|| format!("El servidor respondió {status}."))
}

const OFFLINE: &str = "Sin conexión con el servidor. Esto se hace una vez con señal; después el taller funciona sin conexión.";

/// Creates the workshop on the server and keeps it here as prepared on this device.
pub async fn prepare(draft: WorkshopDraft, barrio_name: String) -> Result<StoredWorkshop, String> {
    let request = gloo_net::http::Request::post("/api/v1/workshops").json(&draft).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| OFFLINE.to_string())?;
    if response.status() != 201 {
        return Err(refusal(response).await);
    }
    let workshop: Workshop = response.json().await.map_err(|e| e.to_string())?;
    let stored = StoredWorkshop { id: workshop.id, workshop, barrio_name, prepared_here: true, joined_at_ms: now_ms(), cursor: 0 };
    sync_store::save_workshop(&stored).await.map_err(|e| format!("No se pudo guardar en el dispositivo: {e}"))?;
    // The facilitator draws too: the map goes on the device now, while there is signal.
    let _ = packs::download(stored.workshop.barrio_id).await;
    Ok(stored)
}

/// Joins a workshop by its code: keeps it, downloads its barrio's map and the marks drawn in
/// it so far. Returns once all of that is on the device.
pub async fn join(state: SyncState, code: &str) -> Result<StoredWorkshop, String> {
    let url = format!("/api/v1/join/{}", js_sys::encode_uri_component(code));
    let response = gloo_net::http::Request::get(&url).send().await.map_err(|_| OFFLINE.to_string())?;
    if response.status() != 200 {
        return Err(refusal(response).await);
    }
    let reply: JoinReply = response.json().await.map_err(|e| e.to_string())?;
    let stored = StoredWorkshop {
        id: reply.workshop.id,
        workshop: reply.workshop,
        barrio_name: reply.barrio.name,
        prepared_here: false,
        joined_at_ms: now_ms(),
        cursor: 0,
    };
    sync_store::save_workshop(&stored).await.map_err(|e| format!("No se pudo guardar en el dispositivo: {e}"))?;
    packs::download(stored.workshop.barrio_id).await.map_err(|e| format!("No se pudo descargar el mapa del barrio: {e}"))?;
    sync::pull_workshop(state, stored.id, 0).await.map_err(|e| format!("No se pudieron traer las marcas del taller: {e}"))?;
    Ok(stored)
}
