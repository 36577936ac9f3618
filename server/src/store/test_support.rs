//! Small builders for the store's unit tests: a fresh database, barrios, problems, causes and
//! solutions.

use app::model::{Cause, Mark, Solution, Workshop, WorkshopDraft};
use uuid::Uuid;

use super::{NewBarrio, Store};

/// 2025-11-24, a date inside the range marks may have.
pub const T: i64 = 1_764_000_000_000;

/// A fresh store in a temporary folder, removed when the returned guard drops.
pub async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("test.sqlite3")).expect("open store");
    (dir, store)
}

/// Adds a small square barrio of Santa Marta and returns its id.
pub async fn barrio(store: &Store, code: &str) -> i64 {
    city_barrio(store, app::model::SANTA_MARTA_MUNICIPIO, code).await
}

/// Adds a small square barrio of city `municipio` and returns its id.
pub async fn city_barrio(store: &Store, municipio: &str, code: &str) -> i64 {
    let ring = vec![vec![-74.21, 11.23], vec![-74.20, 11.23], vec![-74.20, 11.24], vec![-74.21, 11.24], vec![-74.21, 11.23]];
    let boundary = geojson::Geometry::new(geojson::Value::Polygon(vec![ring]));
    let barrio = NewBarrio {
        municipio: municipio.into(),
        code: code.into(),
        name: code.into(),
        comuna: None,
        boundary,
        bbox: [-74.21, 11.23, -74.20, 11.24],
        area_ha: 120.0,
        source: "prueba".into(),
    };
    store.insert_barrios(vec![barrio]).await.expect("insert barrio");
    let list = store.list_barrios().await.expect("list");
    list.iter().find(|b| b.code == code && b.municipio == municipio).map(|b| b.id).expect("barrio just added")
}

/// A problem mark (a theft), version 1.
pub fn problem(n: u128, barrio_id: i64) -> Mark {
    Mark::new_point(Uuid::from_u128(n), barrio_id, "hurto_personas", -74.205, 11.235, T)
}

/// A cause of the problems numbered `problems`, version 1.
pub fn cause(n: u128, barrio_id: i64, problems: &[u128]) -> Cause {
    Cause {
        workshop_id: None,
        hlc: None,
        id: Uuid::from_u128(n),
        barrio_id,
        category: "falta_iluminacion".into(),
        text: "El poste está dañado".into(),
        problem_ids: problems.iter().map(|p| Uuid::from_u128(*p)).collect(),
        alias: String::new(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    }
}

/// A solution (for ESSMAR) of the causes numbered `causes`, version 1.
pub fn solution(n: u128, barrio_id: i64, causes: &[u128]) -> Solution {
    Solution {
        workshop_id: None,
        hlc: None,
        id: Uuid::from_u128(n),
        barrio_id,
        text: "Arreglar el poste".into(),
        institution: "essmar".into(),
        cause_ids: causes.iter().map(|c| Uuid::from_u128(*c)).collect(),
        alias: String::new(),
        created_at_ms: T,
        version: 1,
        updated_at_ms: 0,
        deleted: false,
    }
}

/// A workshop of `barrio_id`, numbered `n` (its id and its code follow from `n`).
pub async fn workshop(store: &Store, barrio_id: i64, n: u8) -> Workshop {
    let draft = WorkshopDraft {
        barrio_id,
        date: "2025-11-24".into(),
        place: "Salón comunal".into(),
        cbsc: "CBSC".into(),
        facilitator: "Ana".into(),
    };
    store.create_workshop(draft, None, T, move || (Uuid::from_u128(1000 + u128::from(n)), [n; 6])).await.expect("store").expect("barrio exists")
}

/// An account of `role` named `username` (shown by that name), made in the store.
pub async fn account(store: &Store, username: &str, role: app::model::account::Role) -> app::model::account::User {
    let draft = app::model::account::UserDraft {
        username: username.into(),
        display_name: username.into(),
        role,
        barrios: vec![],
        municipios: vec![],
        password: None,
        disabled: false,
    };
    store.create_user(draft, "h".into(), T).await.expect("create user").expect("a new user name")
}

/// Asserts the database refuses every one of `statements` (the append-only triggers).
pub async fn assert_refused(store: &Store, statements: &'static [&'static str]) {
    store
        .call(move |c| {
            for sql in statements {
                assert!(c.execute(sql, []).is_err(), "{sql} must be refused");
            }
            Ok(())
        })
        .await
        .expect("database");
}
