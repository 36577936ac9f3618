//! The balance as a CSV for spreadsheets: a few lines saying what it is (period, city, ISCB
//! version, "datos de ejemplo" when so), then one row per barrio by place. Like the other
//! exports: UTF-8 with a byte-order mark, comma separated, text defused against CSV injection.

use app::model::balance::informe::Balance;
use app::model::balance::iscb::Normalizacion;
use app::model::barrio::municipio_name;

use crate::export::{cell, colombia_time};

/// A figure of the index: four decimals are more than any reading needs, and keep the file
/// comparable by eye (the JSON has every digit).
fn numero(value: f64) -> String {
    format!("{value:.4}")
}

fn opcional(value: Option<f64>) -> String {
    value.map(numero).unwrap_or_default()
}

/// What the file's first lines say, one per line.
pub fn encabezado(balance: &Balance) -> Vec<String> {
    let d = &balance.definicion;
    let metodo = match d.draft.normalizacion {
        Normalizacion::MinMax => "mín–máx, 0 a 100",
        Normalizacion::ZScore => "puntaje T (50 en la media de la referencia)",
    };
    let referencia = match d.draft.periodo_referencia {
        Some(r) => format!("referencia: {}", r.label_es()),
        None => "cada cuatrimestre frente a sí mismo".into(),
    };
    let tasas = if d.draft.por_10k { "casos como tasas por 10.000 habitantes" } else { "valores como se importaron" };
    let mut lines = vec![
        format!(
            "Balance de seguridad y convivencia — {} ({}) — {}",
            balance.periodo.label_es(),
            balance.periodo.meses_es(),
            municipio_name(&balance.municipio)
        ),
        format!(
            "ISCB versión {}: {metodo}; {tasas}; {referencia}. Más alto es más seguro; puesto 1 y clase 1 = más necesitados.",
            d.version
        ),
        format!("Generado el {} (hora de Colombia)", colombia_time(balance.generado_ms)),
    ];
    if balance.ejemplo {
        lines.push("DATOS DE EJEMPLO: cifras generadas para demostración — no son datos reales.".into());
    }
    lines
}

/// The ranking as CSV.
pub fn balance_csv(balance: &Balance) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        // Flexible: the first lines are one cell each.
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        for line in encabezado(balance) {
            w.write_record([cell(&line)])?;
        }
        w.write_record([""])?;
        let mut header: Vec<String> = [
            "puesto",
            "codigo",
            "barrio",
            "comuna",
            "indice",
            "clase",
            "cambio_anterior",
            "cambio_anual",
            "puesto_anterior",
            "poblacion",
            "sin_indice",
        ]
        .map(String::from)
        .to_vec();
        for i in &balance.indicadores {
            header.extend([format!("{}_valor", i.code), format!("{}_tasa", i.code), format!("{}_aporte", i.code)]);
        }
        w.write_record(&header)?;
        for f in &balance.filas {
            let sin_indice = match &f.sin_indice {
                Some(app::model::balance::calculo::SinIndice::SinPoblacion) => "sin población".to_string(),
                Some(app::model::balance::calculo::SinIndice::FaltaIndicador(code)) => format!("falta {code}"),
                None => String::new(),
            };
            let mut row = vec![
                f.puesto.map(|p| p.to_string()).unwrap_or_default(),
                cell(&f.code),
                cell(&f.name),
                f.comuna.as_deref().map(cell).unwrap_or_default(),
                opcional(f.indice),
                f.clase.map(|c| (c + 1).to_string()).unwrap_or_default(),
                opcional(f.cambio_anterior),
                opcional(f.cambio_anual),
                f.puesto_anterior.map(|p| p.to_string()).unwrap_or_default(),
                f.poblacion.map(|p| p.to_string()).unwrap_or_default(),
                cell(&sin_indice),
            ];
            for i in &balance.indicadores {
                match f.aportes.iter().find(|a| a.indicador == i.code) {
                    Some(a) => row.extend([a.valor.to_string(), opcional(a.tasa), numero(a.aporte)]),
                    None => row.extend([String::new(), String::new(), String::new()]),
                }
            }
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::balance::calculo::{Aporte, SinIndice};
    use app::model::balance::indicador::{Direccion, Indicador, Unidad};
    use app::model::balance::informe::FilaBalance;
    use app::model::balance::iscb::{Componente, DefinicionDraft, DefinicionIscb};
    use app::model::balance::periodo::Periodo;

    fn fila(id: i64, name: &str, puesto: Option<u32>) -> FilaBalance {
        FilaBalance {
            barrio_id: id,
            code: format!("b{id}"),
            name: name.into(),
            comuna: Some("-Comuna 2".into()),
            indice: puesto.map(|p| f64::from(p) * 10.0),
            puesto,
            clase: puesto.map(|p| p as u8 - 1),
            cambio_anterior: puesto.map(|_| -2.5),
            cambio_anual: None,
            puesto_anterior: None,
            tendencia: vec![],
            aportes: puesto
                .map(|p| {
                    vec![Aporte {
                        indicador: "rinas".into(),
                        valor: 3.0,
                        tasa: Some(1.5),
                        normalizado: 0.2,
                        peso: 1.0,
                        aporte: f64::from(p) * 10.0,
                    }]
                })
                .unwrap_or_default(),
            sin_indice: puesto.is_none().then(|| SinIndice::FaltaIndicador("rinas".into())),
            poblacion: Some(20_000.0),
            paso: None,
            inscripciones: 0,
        }
    }

    fn balance(ejemplo: bool) -> Balance {
        Balance {
            municipio: "47001".into(),
            periodo: Periodo { anio: 2026, cuatrimestre: 1 },
            definicion: DefinicionIscb {
                version: 4,
                draft: DefinicionDraft {
                    componentes: vec![Componente { indicador: "rinas".into(), peso: 1.0 }],
                    normalizacion: Normalizacion::ZScore,
                    por_10k: true,
                    periodo_referencia: Periodo::new(2025, 3),
                    nota: String::new(),
                },
                created_at_ms: 0,
                created_by: "admin".into(),
            },
            indicadores: vec![Indicador {
                code: "rinas".into(),
                nombre: "Riñas".into(),
                unidad: Unidad::Casos,
                direccion: Direccion::MayorEsPeor,
                descripcion: String::new(),
                fuente: String::new(),
                activo: true,
                version: 1,
                updated_at_ms: 0,
                updated_by: "admin".into(),
            }],
            filas: vec![fila(1, "@Mamatoco", Some(1)), fila(2, "Gaira", None)],
            cortes: vec![],
            periodos_tendencia: vec![],
            periodos: vec![],
            ejemplo,
            importaciones: vec![],
            generado_ms: 1_767_225_600_000,
        }
    }

    #[test]
    fn the_first_lines_say_what_the_table_is_and_text_is_defused() {
        let bytes = balance_csv(&balance(true)).expect("csv");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Balance de seguridad y convivencia — cuatrimestre 1 de 2026 (enero a abril de 2026) — Santa Marta"));
        assert!(lines[1].contains("ISCB versión 4") && lines[1].contains("referencia: cuatrimestre 3 de 2025"), "{text}");
        assert!(lines[2].starts_with("Generado el 2025-12-31 19:00"), "{text}");
        assert!(lines[3].starts_with("DATOS DE EJEMPLO"));
        assert_eq!(lines[6], "1,b1,'@Mamatoco,'-Comuna 2,10.0000,1,-2.5000,,,20000,,3,1.5000,10.0000", "a negative number stays a number");
        assert_eq!(lines[7], ",b2,Gaira,'-Comuna 2,,,,,,20000,falta rinas,,,");
        let plain = String::from_utf8(balance_csv(&balance(false)).expect("csv")).expect("utf-8");
        assert!(!plain.contains("DATOS DE EJEMPLO"));
    }
}
