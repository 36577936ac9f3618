//! Where pages get barrios from: on the server, straight from the store (through the
//! [`Catalog`] the server provides as context); in the browser, from the JSON API.

use crate::model::{Barrio, BarrioSummary};

#[cfg(feature = "ssr")]
mod server_side {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;

    use crate::model::{Barrio, BarrioSummary};

    type Fut<T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

    /// Read access to barrios, implemented by the server over its store.
    pub trait Catalog: Send + Sync {
        fn list_barrios(&self) -> Fut<Vec<BarrioSummary>>;
        fn barrio(&self, id: i64) -> Fut<Option<Barrio>>;
    }

    pub type SharedCatalog = Arc<dyn Catalog>;

    pub fn catalog() -> Result<SharedCatalog, String> {
        leptos::prelude::use_context::<SharedCatalog>().ok_or_else(|| "no catalog in context".to_string())
    }
}
#[cfg(feature = "ssr")]
pub use server_side::{Catalog, SharedCatalog};

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    send_wrapper::SendWrapper::new(fetch_json(url)).await
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
async fn fetch_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    let response = gloo_net::http::Request::get(url).send().await.map_err(|e| format!("sin conexión con el servidor ({e})"))?;
    if response.status() == 404 {
        return Err("no encontrado".into());
    }
    if !response.ok() {
        return Err(format!("el servidor respondió {}", response.status()));
    }
    response.json::<T>().await.map_err(|e| e.to_string())
}

/// All barrios, by name.
pub async fn list_barrios() -> Result<Vec<BarrioSummary>, String> {
    #[cfg(feature = "ssr")]
    {
        server_side::catalog()?.list_barrios().await
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        get_json("/api/v1/barrios").await
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Err("no data source in this build".into())
    }
}

/// One barrio with its boundary; `Ok(None)` when there is no such barrio.
pub async fn barrio(id: i64) -> Result<Option<Barrio>, String> {
    #[cfg(feature = "ssr")]
    {
        server_side::catalog()?.barrio(id).await
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        match get_json(&format!("/api/v1/barrios/{id}")).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e == "no encontrado" => Ok(None),
            // Offline and never fetched: a downloaded pack holds the barrio too.
            Err(e) => match send_wrapper::SendWrapper::new(crate::client::packs::on_device(id)).await {
                Ok(Some(pack)) => Ok(Some(pack.barrio)),
                _ => Err(e),
            },
        }
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = id;
        Err("no data source in this build".into())
    }
}
