//! Preparing a workshop (facilitator, online) and joining one by code (participant, online
//! once): each keeps the workshop on the device, with its barrio's map and the marks already
//! drawn in it, so the rest works offline.

use uuid::Uuid;

use super::device::now_ms;
use super::session::{self, refusal};
use super::sync_store::{self, StoredWorkshop};
use super::{packs, storage, sync};
use crate::components::status::SyncState;
use crate::model::account::DeviceToken;
use crate::model::{JoinReply, JoinRequest, Workshop, WorkshopDraft};

async fn device_id() -> Result<Uuid, String> {
    storage::device_id().await.map_err(|e| e.to_string())?.parse::<Uuid>().map_err(|e| e.to_string())
}

/// A token for this tablet to sync the workshop, asked with the facilitator's session. Without
/// it the tablet still syncs while the session lasts.
async fn tablet_token(workshop_id: Uuid) -> Option<String> {
    let body = JoinRequest { device_id: device_id().await.ok()? };
    let request = session::post(&format!("/api/v1/workshops/{workshop_id}/devices")).json(&body).ok()?;
    let response = request.send().await.ok()?;
    if response.status() != 201 {
        return None;
    }
    response.json::<DeviceToken>().await.ok().map(|t| t.token)
}

const OFFLINE: &str = "Sin conexión con el servidor. Esto se hace una vez con señal; después el taller funciona sin conexión.";

/// Creates the workshop on the server and keeps it here as prepared on this device.
pub async fn prepare(draft: WorkshopDraft, barrio_name: String) -> Result<StoredWorkshop, String> {
    let request = session::post("/api/v1/workshops").json(&draft).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| OFFLINE.to_string())?;
    if response.status() != 201 {
        return Err(refusal(response).await);
    }
    let workshop: Workshop = response.json().await.map_err(|e| e.to_string())?;
    let token = tablet_token(workshop.id).await;
    let stored = StoredWorkshop { id: workshop.id, workshop, barrio_name, prepared_here: true, joined_at_ms: now_ms(), cursor: 0, token };
    sync_store::save_workshop(&stored).await.map_err(|e| format!("No se pudo guardar en el dispositivo: {e}"))?;
    // The facilitator draws too: the map goes on the device now, while there is signal.
    let _ = packs::download(stored.workshop.barrio_id).await;
    Ok(stored)
}

/// Joins a workshop by its code: keeps it, downloads its barrio's map and the marks drawn in
/// it so far. Returns once all of that is on the device.
pub async fn join(state: SyncState, code: &str) -> Result<StoredWorkshop, String> {
    let url = format!("/api/v1/join/{}", js_sys::encode_uri_component(code));
    let body = JoinRequest { device_id: device_id().await? };
    let request = gloo_net::http::Request::post(&url).json(&body).map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| OFFLINE.to_string())?;
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
        token: Some(reply.token),
    };
    sync_store::save_workshop(&stored).await.map_err(|e| format!("No se pudo guardar en el dispositivo: {e}"))?;
    packs::download(stored.workshop.barrio_id).await.map_err(|e| format!("No se pudo descargar el mapa del barrio: {e}"))?;
    // Reported at once, so the facilitator's panel has a figure for a phone that just joined.
    let report = sync::queue_report(stored.id).await;
    sync::pull_workshop(state, stored.id, 0, stored.token.as_deref(), report).await.map_err(|e| format!("No se pudieron traer las marcas del taller: {e}"))?;
    Ok(stored)
}

/// A facilitator's change to a running workshop (`settings` or `close`), kept on the device too.
async fn change(id: Uuid, action: &str, body: Option<serde_json::Value>) -> Result<Workshop, String> {
    let url = format!("/api/v1/workshops/{id}/{action}");
    let request = match body {
        Some(b) => session::post(&url).json(&b).map_err(|e| e.to_string())?,
        None => session::post(&url).build().map_err(|e| e.to_string())?,
    };
    let response = request.send().await.map_err(|_| "Sin conexión con el servidor: esto se hace con señal.".to_string())?;
    if response.status() != 200 {
        return Err(refusal(response).await);
    }
    let workshop: Workshop = response.json().await.map_err(|e| e.to_string())?;
    if let Some(mut kept) = sync_store::workshops().await.ok().and_then(|l| l.into_iter().find(|w| w.id == id)) {
        kept.workshop = workshop.clone();
        let _ = sync_store::save_workshop(&kept).await;
    }
    Ok(workshop)
}

pub async fn set_sharing(id: Uuid, share_sensitive: bool) -> Result<Workshop, String> {
    change(id, "settings", Some(serde_json::json!({ "share_sensitive": share_sensitive }))).await
}

pub async fn close(id: Uuid) -> Result<Workshop, String> {
    change(id, "close", None).await
}
