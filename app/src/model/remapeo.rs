//! Re-mapping: a barrio maps its dangers again some months later, and the new diagnóstico is
//! set beside an earlier one. The marks are new, so hotspots cannot be matched by the marks
//! they share (as `super::comparison` does for two versions of one mapping): they are matched
//! by place — the same category, their points at most a radius apart, nearest pairs first.
//! Each hotspot is then one that goes on, a new one, or one gone. Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::diagnostico::Hotspot;
use super::miniauditoria::{metros, punto_de};

/// Two hotspots of one category this close (metres) are the same place mapped twice: about a
/// block, the distance at which neighbours name a corner the same.
pub const RADIO_M: f64 = 120.0;

/// What became of a place between the two mappings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Estado {
    /// Mapped again near where it was.
    Sigue,
    /// Only in the newer mapping.
    Nuevo,
    /// Only in the earlier mapping: nobody marked it again.
    YaNo,
}

impl Estado {
    pub fn label_es(self) -> &'static str {
        match self {
            Estado::Sigue => "Sigue",
            Estado::Nuevo => "Nuevo",
            Estado::YaNo => "Ya no aparece",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Estado::Sigue => "sigue",
            Estado::Nuevo => "nuevo",
            Estado::YaNo => "ya_no",
        }
    }

    /// Red goes on, amber new, green gone (the miniauditoría's colours for the same meaning).
    pub fn color(self) -> &'static str {
        match self {
            Estado::Sigue => "#c62828",
            Estado::Nuevo => "#e08600",
            Estado::YaNo => "#2e7d32",
        }
    }
}

/// One place of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linea {
    pub estado: Estado,
    pub category: String,
    /// `(hotspot id, marks)` in the earlier mapping.
    pub antes: Option<(Uuid, u32)>,
    /// `(hotspot id, marks)` in the newer mapping.
    pub despues: Option<(Uuid, u32)>,
    /// Between the two, for a place that goes on (metres, rounded).
    pub distancia_m: Option<u32>,
}

/// `GET /barrios/{id}/remapeo?antes=N&despues=M`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remapeo {
    pub barrio_id: i64,
    pub antes: u32,
    pub despues: u32,
    pub radio_m: f64,
    /// Goes on, new, gone; within each, by category, then the larger count first, then id.
    pub lineas: Vec<Linea>,
    /// The hotspots of both mappings, for the map (the earlier one's only where they are gone).
    pub hotspots: Vec<Hotspot>,
}

impl Remapeo {
    pub fn count(&self, estado: Estado) -> usize {
        self.lineas.iter().filter(|l| l.estado == estado).count()
    }
}

/// The lines of the comparison of `antes` with `despues`: within each category, every pair of
/// hotspots at most `radio_m` apart, nearest first, each hotspot taken once. Quadratic within
/// a category, which a barrio counts in tens of hotspots.
pub fn comparar(antes: &[Hotspot], despues: &[Hotspot], radio_m: f64) -> Vec<Linea> {
    let mut by_category: BTreeMap<&str, (Vec<&Hotspot>, Vec<&Hotspot>)> = BTreeMap::new();
    for h in antes {
        by_category.entry(&h.category).or_default().0.push(h);
    }
    for h in despues {
        by_category.entry(&h.category).or_default().1.push(h);
    }
    let mut out = Vec::new();
    for (category, (a, d)) in by_category {
        let pa: Vec<Option<[f64; 2]>> = a.iter().map(|h| punto_de(h)).collect();
        let pd: Vec<Option<[f64; 2]>> = d.iter().map(|h| punto_de(h)).collect();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (i, p) in pa.iter().enumerate() {
            for (j, q) in pd.iter().enumerate() {
                if let (Some(p), Some(q)) = (p, q) {
                    let m = metros(*p, *q);
                    if m <= radio_m {
                        pairs.push((m, i, j));
                    }
                }
            }
        }
        // Nearest first; ties by the hotspots' ids, so the answer never depends on order.
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0).then(a[x.1].id.cmp(&a[y.1].id)).then(d[x.2].id.cmp(&d[y.2].id)));
        let (mut used_a, mut used_d) = (vec![false; a.len()], vec![false; d.len()]);
        for (m, i, j) in pairs {
            if used_a[i] || used_d[j] {
                continue;
            }
            used_a[i] = true;
            used_d[j] = true;
            out.push(Linea {
                estado: Estado::Sigue,
                category: category.to_string(),
                antes: Some((a[i].id, a[i].count)),
                despues: Some((d[j].id, d[j].count)),
                distancia_m: Some(m.round() as u32),
            });
        }
        for h in d.iter().zip(&used_d).filter(|(_, used)| !**used).map(|(h, _)| h) {
            out.push(Linea {
                estado: Estado::Nuevo,
                category: category.to_string(),
                antes: None,
                despues: Some((h.id, h.count)),
                distancia_m: None,
            });
        }
        for h in a.iter().zip(&used_a).filter(|(_, used)| !**used).map(|(h, _)| h) {
            out.push(Linea {
                estado: Estado::YaNo,
                category: category.to_string(),
                antes: Some((h.id, h.count)),
                despues: None,
                distancia_m: None,
            });
        }
    }
    let count = |l: &Linea| l.despues.or(l.antes).map_or(0, |(_, n)| n);
    let id = |l: &Linea| l.despues.or(l.antes).map(|(id, _)| id);
    out.sort_by(|x, y| x.estado.cmp(&y.estado).then(x.category.cmp(&y.category)).then(count(y).cmp(&count(x))).then(id(x).cmp(&id(y))));
    out
}

/// The comparison of two of a barrio's diagnósticos (`antes`, `despues` are their numbers).
pub fn remapeo(barrio_id: i64, antes: (u32, &[Hotspot]), despues: (u32, &[Hotspot]), radio_m: f64) -> Remapeo {
    let lineas = comparar(antes.1, despues.1, radio_m);
    let gone: std::collections::HashSet<Uuid> =
        lineas.iter().filter(|l| l.estado == Estado::YaNo).filter_map(|l| l.antes.map(|(id, _)| id)).collect();
    let mut hotspots: Vec<Hotspot> = despues.1.to_vec();
    hotspots.extend(antes.1.iter().filter(|h| gone.contains(&h.id)).cloned());
    let hotspots = super::diagnostico::without_marks(hotspots);
    Remapeo { barrio_id, antes: antes.0, despues: despues.0, radio_m, lineas, hotspots }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hotspot(n: u128, category: &str, lon: f64, lat: f64, count: u32) -> Hotspot {
        let mut h: Hotspot = serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(n), "barrio_id": 1, "category": category, "sensitive": false, "geometry_kind": "point",
            "geometry": { "type": "Point", "coordinates": [lon, lat] }, "count": count, "participants": 1, "workshops": 1,
            "first_reported_ms": 0, "last_reported_ms": 0,
            "times": {}, "days": {}, "frequency": {}, "since": {}, "affected": {}, "source_ids": []
        }))
        .expect("a hotspot");
        h.count = count;
        h
    }

    #[test]
    fn places_are_matched_by_category_and_distance_nearest_first() {
        // ~0.001° of longitude is ~109 m at 11° N.
        let antes = [
            hotspot(1, "hurto_personas", -74.200, 11.240, 5),
            hotspot(2, "hurto_personas", -74.190, 11.240, 2),
            hotspot(3, "alumbrado_deficiente", -74.200, 11.240, 3),
        ];
        let despues = [
            // 55 m from 1: the same corner.
            hotspot(10, "hurto_personas", -74.1995, 11.240, 4),
            // Another category at 1's corner: not the same place.
            hotspot(11, "rinas", -74.200, 11.240, 1),
            // Near 1 too, but 10 is nearer: 1 is taken once.
            hotspot(12, "hurto_personas", -74.2009, 11.240, 1),
        ];
        let lineas = comparar(&antes, &despues, RADIO_M);
        let seen: Vec<(Estado, Option<u128>, Option<u128>)> =
            lineas.iter().map(|l| (l.estado, l.antes.map(|a| a.0.as_u128()), l.despues.map(|d| d.0.as_u128()))).collect();
        assert_eq!(
            seen,
            vec![
                (Estado::Sigue, Some(1), Some(10)),
                (Estado::Nuevo, None, Some(12)),
                (Estado::Nuevo, None, Some(11)),
                (Estado::YaNo, Some(3), None),
                (Estado::YaNo, Some(2), None),
            ]
        );
        assert_eq!(lineas[0].distancia_m, Some(55));
        // The same two mappings given in another order read the same.
        let mut a2 = antes.to_vec();
        a2.reverse();
        let mut d2 = despues.to_vec();
        d2.reverse();
        assert_eq!(comparar(&a2, &d2, RADIO_M), lineas);
    }

    #[test]
    fn the_map_has_the_new_mapping_and_the_places_gone() {
        let antes = [hotspot(1, "hurto_personas", -74.200, 11.240, 5), hotspot(2, "hurto_personas", -74.190, 11.240, 2)];
        let despues = [hotspot(10, "hurto_personas", -74.2001, 11.240, 4)];
        let r = remapeo(1, (1, &antes), (2, &despues), RADIO_M);
        let ids: Vec<u128> = r.hotspots.iter().map(|h| h.id.as_u128()).collect();
        assert_eq!(ids, vec![10, 2]);
        assert_eq!((r.count(Estado::Sigue), r.count(Estado::Nuevo), r.count(Estado::YaNo)), (1, 0, 1));
        assert!(comparar(&[], &[], RADIO_M).is_empty());
    }
}
