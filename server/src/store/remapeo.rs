//! The re-mapping comparison as read from the store: two of a barrio's diagnósticos, by default
//! its newest and the newest of the mapping before.

use app::model::remapeo::{remapeo, Remapeo, RADIO_M};
use rusqlite::params;

use super::pactos::diagnostico;
use super::{Store, StoreError};

impl Store {
    /// Diagnóstico `antes` of the barrio beside `despues`. Left out, `despues` is the newest,
    /// and `antes` the newest earlier one of another mapping (counting from another day), else
    /// the one just before. `None`: no such barrio or diagnósticos.
    pub async fn remapeo(&self, barrio_id: i64, antes: Option<u32>, despues: Option<u32>) -> Result<Option<Remapeo>, StoreError> {
        self.call(move |c| {
            let despues = match despues {
                Some(n) => n,
                None => {
                    let newest: Option<u32> =
                        c.query_row("SELECT MAX(number) FROM diagnosticos WHERE barrio_id = ?1", [barrio_id], |r| r.get(0))?;
                    let Some(n) = newest else { return Ok(None) };
                    n
                }
            };
            let Some(after) = diagnostico(c, barrio_id, despues)? else { return Ok(None) };
            // Another mapping: the newest earlier diagnóstico counting from another day (the
            // versions of one re-mapping share theirs); else simply the one before.
            let antes = match antes {
                Some(n) => Some(n),
                None => c
                    .prepare_cached(
                        "SELECT MAX(number) FROM diagnosticos WHERE barrio_id = ?1 AND number < ?2 \
                         AND json_extract(snapshot, '$.params.desde_ms') IS NOT ?3",
                    )?
                    .query_row(params![barrio_id, despues, after.params.desde_ms], |r| r.get::<_, Option<u32>>(0))?
                    .or_else(|| despues.checked_sub(1).filter(|n| *n >= 1)),
            };
            let Some(antes) = antes else { return Ok(None) };
            let Some(before) = diagnostico(c, barrio_id, antes)? else { return Ok(None) };
            Ok(Some(remapeo(barrio_id, (antes, &before.hotspots), (despues, &after.hotspots), RADIO_M)))
        })
        .await
    }
}
