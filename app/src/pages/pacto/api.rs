//! The paso 4 pages' calls to the API: JSON with the session, and a refusal that keeps the
//! HTTP status, because a 409 (someone saved first, or it is signed) asks for another answer
//! than a 422 (fix this field). Only the browser calls; on the server they are never reached.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why the server (or the network) said no, in Spanish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 0 without a connection.
    pub status: u16,
    pub message: String,
}

impl Refusal {
    /// Someone else changed it first, or it is signed: the page should read it again.
    pub fn conflict(&self) -> bool {
        self.status == 409
    }

    pub fn not_found(&self) -> bool {
        self.status == 404
    }
}

impl From<Refusal> for String {
    fn from(r: Refusal) -> String {
        r.message
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use gloo_net::http::{Request, RequestBuilder, Response};

    use super::*;

    const NO_SERVER: &str = "Sin conexión con el servidor: vuelva a intentarlo con señal.";

    fn offline() -> Refusal {
        Refusal { status: 0, message: NO_SERVER.into() }
    }

    async fn refused(response: Response) -> Refusal {
        let status = response.status();
        Refusal { status, message: crate::client::session::refusal(response).await }
    }

    async fn answer<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> Result<T, Refusal> {
        let response = response.map_err(|_| offline())?;
        if !response.ok() {
            return Err(refused(response).await);
        }
        response.json().await.map_err(|e| Refusal { status: 0, message: format!("Respuesta inesperada del servidor: {e}") })
    }

    pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, Refusal> {
        answer(Request::get(url).send().await).await
    }

    /// `Ok(None)` when there is nothing there (404).
    pub async fn get_optional<T: DeserializeOwned>(url: &str) -> Result<Option<T>, Refusal> {
        match get(url).await {
            Ok(t) => Ok(Some(t)),
            Err(r) if r.not_found() => Ok(None),
            Err(r) => Err(r),
        }
    }

    async fn send<T: DeserializeOwned>(request: RequestBuilder, body: &impl Serialize) -> Result<T, Refusal> {
        let request = request.json(body).map_err(|e| Refusal { status: 0, message: e.to_string() })?;
        answer(request.send().await).await
    }

    pub async fn post<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, Refusal> {
        send(crate::client::session::post(url), body).await
    }

    pub async fn put<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> Result<T, Refusal> {
        send(crate::client::session::put(url), body).await
    }

    /// Keeps `file` as a registro of ciclo `ciclo` (the route page's upload), and says which.
    pub async fn subir_registro(
        ciclo: uuid::Uuid,
        paso: crate::model::ruta::Paso,
        tipo: crate::model::ruta::TipoRegistro,
        fecha: &str,
        descripcion: &str,
        file: web_sys::File,
    ) -> Result<crate::model::registro::Registro, Refusal> {
        let query = crate::pages::ruta_barrio::upload_query(paso, tipo, fecha, descripcion, &file.name());
        let url = format!("/api/v1/ciclos/{ciclo}/registros?{query}");
        let request = crate::client::session::post(&url).body(file).map_err(|e| Refusal { status: 0, message: e.to_string() })?;
        answer(request.send().await).await
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{get, get_optional, post, put, subir_registro};

/// A file picked in a form: the browser's; nothing on the server, where no form is sent.
#[cfg(feature = "hydrate")]
pub type Archivo = web_sys::File;
#[cfg(not(feature = "hydrate"))]
pub type Archivo = ();

/// The file chosen in `input`, if any.
pub fn archivo(input: leptos::prelude::NodeRef<leptos::html::Input>) -> Option<Archivo> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::GetUntracked;
        input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = input;
        None
    }
}

#[cfg(not(feature = "hydrate"))]
mod server {
    use super::*;

    fn never() -> Refusal {
        Refusal { status: 0, message: "Solo en el navegador.".into() }
    }

    pub async fn get<T: DeserializeOwned>(_url: &str) -> Result<T, Refusal> {
        Err(never())
    }

    pub async fn get_optional<T: DeserializeOwned>(_url: &str) -> Result<Option<T>, Refusal> {
        Err(never())
    }

    pub async fn post<T: DeserializeOwned>(_url: &str, _body: &impl Serialize) -> Result<T, Refusal> {
        Err(never())
    }

    pub async fn put<T: DeserializeOwned>(_url: &str, _body: &impl Serialize) -> Result<T, Refusal> {
        Err(never())
    }

    pub async fn subir_registro(
        _ciclo: uuid::Uuid,
        _paso: crate::model::ruta::Paso,
        _tipo: crate::model::ruta::TipoRegistro,
        _fecha: &str,
        _descripcion: &str,
        _file: super::Archivo,
    ) -> Result<crate::model::registro::Registro, Refusal> {
        Err(never())
    }
}

#[cfg(not(feature = "hydrate"))]
pub use server::{get, get_optional, post, put, subir_registro};
