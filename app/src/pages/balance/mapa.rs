//! The city map of the balance: every barrio coloured by its ISCB class (quantiles, a
//! colour-blind-safe sequential ramp, darker = more need), with a legend that names each
//! class's range. Shared by the balance page, its printed informe and the projector view.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::map::projection::Projection;
use crate::model::balance::informe::FilaBalance;
use crate::model::registro::BarrioOutline;
use crate::model::words::number_es;

/// The bounding box of every outline, `[min_lon, min_lat, max_lon, max_lat]`.
pub fn bbox_of(outlines: &[BarrioOutline]) -> [f64; 4] {
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut grow = |rings: &[Vec<Vec<f64>>]| {
        for p in rings.iter().flatten().filter(|p| p.len() >= 2) {
            bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
        }
    };
    for o in outlines {
        match &o.outline.value {
            geojson::Value::Polygon(rings) => grow(rings),
            geojson::Value::MultiPolygon(polys) => polys.iter().for_each(|p| grow(p)),
            _ => {}
        }
    }
    bbox
}

/// Each class's range as the legend writes it, class 0 first: from the lowest index of the
/// class to its upper bound.
pub fn class_ranges(filas: &[FilaBalance], cortes: &[f64]) -> Vec<String> {
    let values: Vec<f64> = filas.iter().filter_map(|f| f.indice).filter(|v| v.is_finite()).collect();
    let (Some(min), Some(max)) = (values.iter().copied().reduce(f64::min), values.iter().copied().reduce(f64::max)) else {
        return Vec::new();
    };
    let mut lows = vec![min];
    lows.extend(cortes.iter().copied());
    let mut highs: Vec<f64> = cortes.to_vec();
    highs.push(max);
    lows.iter().zip(&highs).map(|(lo, hi)| format!("{} – {}", number_es(*lo, 1), number_es(*hi, 1))).collect()
}

/// The map. `shown`: barrios the filters leave (the rest fade); `picked`: the barrio whose
/// explanation is open (outlined); a tap on a barrio picks it.
#[component]
pub fn Choropleth(
    outlines: Vec<BarrioOutline>,
    filas: Vec<FilaBalance>,
    cortes: Vec<f64>,
    #[prop(optional)] shown: Option<Memo<HashSet<i64>>>,
    #[prop(optional)] picked: Option<RwSignal<Option<i64>>>,
) -> impl IntoView {
    let ranges = class_ranges(&filas, &cortes);
    let total = filas.iter().filter(|f| f.indice.is_some()).count();
    let by_id: HashMap<i64, FilaBalance> = filas.into_iter().map(|f| (f.barrio_id, f)).collect();
    let projection = Projection::centred_on(bbox_of(&outlines));
    let view_box = projection.fit(bbox_of(&outlines), 0.02).to_attr();
    let paths = outlines
        .into_iter()
        .filter_map(|o| {
            let fila = by_id.get(&o.barrio_id)?;
            let id = o.barrio_id;
            let title = match (fila.indice, fila.puesto) {
                (Some(i), Some(p)) => format!("{} · ISCB {} · puesto {p} de {total}", fila.name, number_es(i, 1)),
                _ => format!("{} · sin índice en el cuatrimestre", fila.name),
            };
            let label = title.clone();
            let class = fila.clase.map_or_else(|| "iscb-none".to_string(), |c| format!("iscb-{c}"));
            let pick = move || {
                if let Some(p) = picked {
                    p.set(Some(id));
                }
            };
            Some(view! {
                <path d=projection.path(&o.outline) class=class fill-rule="evenodd" data-barrio=id data-clase=fila.clase.map(|c| c.to_string())
                    class:dim=move || shown.is_some_and(|s| !s.with(|s| s.contains(&id)))
                    class:picked=move || picked.is_some_and(|p| p.get() == Some(id))
                    role="button" tabindex="0" aria-label=label
                    on:click=move |_| pick()
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { pick() }>
                    <title>{title}</title>
                </path>
            })
        })
        .collect_view();
    view! {
        <figure class="city-map iscb-map" data-testid="iscb-map">
            <svg viewBox=view_box role="group" aria-label="Mapa de la ciudad: cada barrio con el color de su clase del ISCB">{paths}</svg>
            <figcaption class="iscb-legend" data-testid="iscb-legend">
                <strong>"ISCB del cuatrimestre · más oscuro, más necesidad"</strong>
                <ol>
                    {ranges.into_iter().enumerate().map(|(c, range)| view! {
                        <li><span class=format!("swatch iscb-{c}") aria-hidden="true"></span>{range}
                            {(c == 0).then(|| view! { <small>" (mayor necesidad)"</small> })}</li>
                    }).collect_view()}
                    <li><span class="swatch iscb-none" aria-hidden="true"></span>"Sin índice"</li>
                </ol>
            </figcaption>
        </figure>
    }
}

/// A barrio's trend: its index over the last cuatrimestres as a small line, on the scale
/// `lo..hi` shared by every row so that lines compare.
#[component]
pub fn Sparkline(values: Vec<Option<f64>>, lo: f64, hi: f64) -> impl IntoView {
    const W: f64 = 84.0;
    const H: f64 = 26.0;
    let n = values.len().max(2) as f64 - 1.0;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (2.0 + i as f64 * (W - 4.0) / n, H - 3.0 - (v - lo) / span * (H - 6.0))))
        .collect();
    let line = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let last = points.last().copied();
    let label = values.iter().map(|v| v.map_or_else(|| "–".to_string(), |v| number_es(v, 1))).collect::<Vec<_>>().join(", ");
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=format!("Tendencia: {label}")>
            <polyline points=line fill="none"/>
            {last.map(|(x, y)| view! { <circle cx=x cy=y r="2.5"/> })}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fila(id: i64, indice: Option<f64>) -> FilaBalance {
        FilaBalance {
            barrio_id: id,
            code: format!("b{id}"),
            name: format!("Barrio {id}"),
            comuna: None,
            indice,
            puesto: None,
            clase: None,
            cambio_anterior: None,
            cambio_anual: None,
            puesto_anterior: None,
            tendencia: Vec::new(),
            aportes: Vec::new(),
            sin_indice: None,
            poblacion: None,
            paso: None,
            inscripciones: 0,
        }
    }

    #[test]
    fn the_legend_names_each_class_from_the_lowest_index_to_its_bound() {
        let filas = vec![fila(1, Some(10.0)), fila(2, Some(20.0)), fila(3, Some(30.0)), fila(4, Some(42.26)), fila(5, None)];
        assert_eq!(class_ranges(&filas, &[20.0, 30.0]), vec!["10,0 – 20,0", "20,0 – 30,0", "30,0 – 42,3"]);
        assert!(class_ranges(&[fila(1, None)], &[]).is_empty(), "no index, no classes");
    }
}
