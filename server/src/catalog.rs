//! Lets the app's pages read barrios straight from the store while rendering on the server.

use std::future::Future;
use std::pin::Pin;

use app::data::Catalog;
use app::model::{Barrio, BarrioSummary};

use crate::store::Store;

pub struct StoreCatalog(pub Store);

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

impl Catalog for StoreCatalog {
    fn list_barrios(&self) -> Fut<Vec<BarrioSummary>> {
        let store = self.0.clone();
        Box::pin(async move { store.list_barrios().await.map_err(|e| e.to_string()) })
    }

    fn barrio(&self, id: i64) -> Fut<Option<Barrio>> {
        let store = self.0.clone();
        Box::pin(async move { store.barrio(id).await.map_err(|e| e.to_string()) })
    }
}
