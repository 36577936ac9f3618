//! The report of an import of indicator data in Spanish, for people: what the
//! `import-indicators` command prints, row by row.

use std::fmt::Write;

use app::model::balance::importacion::{Problema, ReporteImportacion};

/// Why a row was refused, as a sentence.
pub fn problema_es(p: &Problema) -> String {
    match p {
        Problema::Falta { columna } => format!("falta el dato de «{columna}»"),
        Problema::BarrioDesconocido { nombre } => format!("ningún barrio de la ciudad se llama «{nombre}»"),
        Problema::BarrioAmbiguo { nombre, candidatos } => {
            format!("«{nombre}» puede ser cualquiera de estos barrios: {}; escriba el nombre exacto o el código", candidatos.join(", "))
        }
        Problema::IndicadorDesconocido { nombre } => format!("el indicador «{nombre}» no está en el catálogo o está inactivo"),
        Problema::PeriodoInvalido { texto } => {
            format!("«{texto}» no es un periodo (se escribe como 2026-C3, 2026-09, septiembre 2026 o 2026)")
        }
        Problema::NumeroInvalido { texto } => format!("«{texto}» no es un valor: se espera un número de 0 en adelante"),
        Problema::Duplicado { fila } => format!("repite el barrio, el periodo y el indicador de la fila {fila}, que es la que cuenta"),
        Problema::AnioSoloPoblacion => "un año entero solo vale para la población; los indicadores van por cuatrimestre o por mes".into(),
    }
}

/// The whole report: counts, each refused row listed, names that matched nothing or only
/// approximately, and the periods an earlier import held.
pub fn reporte_es(r: &ReporteImportacion) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Archivo {} ({}), municipio {}", r.archivo, r.formato, r.municipio);
    let _ = writeln!(
        out,
        "{} leídas: {} aceptadas, {} rechazadas; {}, {}, periodos: {}",
        contar(r.filas, "fila", "filas"),
        r.aceptadas,
        r.rechazadas,
        contar(r.barrios, "barrio", "barrios"),
        contar(r.indicadores.len(), "indicador", "indicadores"),
        if r.periodos.is_empty() { "ninguno".to_string() } else { r.periodos.join(", ") }
    );
    for f in &r.detalle {
        let _ = writeln!(out, "  fila {}: {}", f.fila, problema_es(&f.problema));
    }
    if r.rechazadas > r.detalle.len() {
        let _ = writeln!(out, "  … y {} filas rechazadas más", r.rechazadas - r.detalle.len());
    }
    if !r.sin_coincidencia.is_empty() {
        let _ = writeln!(out, "Nombres de barrio que no coinciden con ninguno:");
        for (name, rows) in &r.sin_coincidencia {
            let _ = writeln!(out, "  «{name}» ({rows} {})", if *rows == 1 { "fila" } else { "filas" });
        }
    }
    if !r.aproximados.is_empty() {
        let _ = writeln!(out, "Nombres tomados por aproximación (revíselos):");
        for (written, name) in &r.aproximados {
            let _ = writeln!(out, "  «{written}» → {name}");
        }
    }
    for (periodo, id) in &r.reemplaza {
        let _ = writeln!(out, "Reemplaza el periodo {periodo} de la importación {id}");
    }
    match r.importacion {
        Some(id) => {
            let _ = writeln!(out, "Importación guardada: {id}");
        }
        None if r.aceptadas == 0 => {
            let _ = writeln!(out, "No se guardó nada: no se pudo importar ninguna fila.");
        }
        None => {
            let _ = writeln!(out, "Vista previa: no se guardó nada.");
        }
    }
    out
}

/// "1 fila", "3 filas".
fn contar(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use app::model::balance::importacion::FilaRechazada;

    use super::*;

    #[test]
    fn the_report_lists_counts_rows_names_and_replaced_periods() {
        let id = uuid::Uuid::from_u128(7);
        let r = ReporteImportacion {
            archivo: "datos.csv".into(),
            formato: "csv".into(),
            municipio: "47001".into(),
            filas: 3,
            aceptadas: 1,
            rechazadas: 2,
            detalle: vec![
                FilaRechazada { fila: 3, problema: Problema::BarrioDesconocido { nombre: "Gaira Alta".into() } },
                FilaRechazada { fila: 4, problema: Problema::Duplicado { fila: 2 } },
            ],
            sin_coincidencia: vec![("Gaira Alta".into(), 1)],
            aproximados: vec![("PESCAITO".into(), "Pescaíto".into())],
            periodos: vec!["2026-C1".into()],
            indicadores: vec!["homicidios".into()],
            barrios: 1,
            reemplaza: vec![("2026-C1".into(), id)],
            importacion: None,
        };
        let text = reporte_es(&r);
        for expected in [
            "3 filas leídas: 1 aceptadas, 2 rechazadas; 1 barrio, 1 indicador, periodos: 2026-C1",
            "fila 3: ningún barrio de la ciudad se llama «Gaira Alta»",
            "fila 4: repite el barrio, el periodo y el indicador de la fila 2",
            "«Gaira Alta» (1 fila)",
            "«PESCAITO» → Pescaíto",
            "Reemplaza el periodo 2026-C1 de la importación 00000000-0000-0000-0000-000000000007",
            "Vista previa: no se guardó nada.",
        ] {
            assert!(text.contains(expected), "{expected}\n{text}");
        }
        let nothing = ReporteImportacion { aceptadas: 0, reemplaza: vec![], ..r };
        assert!(reporte_es(&nothing).contains("No se guardó nada: no se pudo importar ninguna fila."));
    }
}
