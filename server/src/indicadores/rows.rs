//! Checks the rows of a file against the city's barrios and the catalogue: the values to keep,
//! and the report of every row refused and why. Pure, one pass, cost linear in the rows (each
//! distinct barrio name is looked up once).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::model::balance::importacion::{FilaRechazada, Problema, ReporteImportacion, MAX_LISTED};
use app::model::balance::indicador::{self, fold_name, Indicador, POBLACION};
use app::model::balance::periodo::PeriodoDato;

use super::barrios::{BarrioRef, Coincidencia, Indice};
use super::headers::{self, Columnas};
use super::periods::{periodo, Pista};
use super::read::{Celda, Fila, Hoja};
use super::{numbers, ImportacionError};
use crate::import::names;

/// One value to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct ValorImportado {
    pub barrio_id: i64,
    pub periodo: PeriodoDato,
    /// A catalogue code, or [`POBLACION`].
    pub indicador: String,
    pub valor: f64,
}

/// What a file brings once checked: the values, and the report (not yet stored, so without
/// `reemplaza` and `importacion`).
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub valores: Vec<ValorImportado>,
    pub reporte: ReporteImportacion,
}

/// How population is named in files: the pseudo-indicator, in the same column as indicators.
fn is_poblacion(folded: &str) -> bool {
    matches!(folded, "poblacion" | "poblacion total" | "habitantes" | "numero de habitantes" | "population")
}

/// Checks every row after the header of `hoja`. Refused as a whole only when the header lacks
/// a column every row needs; anything wrong in a row refuses that row, with the reason.
pub fn revisar(
    hoja: &Hoja,
    archivo: &str,
    municipio: &str,
    barrios: &[BarrioRef],
    catalogo: &[Indicador],
) -> Result<Revision, ImportacionError> {
    let (header, cols) = headers::encabezado(&hoja.filas);
    let missing = cols.faltan();
    if !missing.is_empty() {
        return Err(ImportacionError::MissingColumns { missing });
    }
    let mut check = Check {
        cols,
        index: Indice::new(barrios),
        catalogo,
        matched: HashMap::new(),
        indicators: HashMap::new(),
        seen: HashMap::new(),
        unmatched: BTreeMap::new(),
        approximate: BTreeSet::new(),
        valores: Vec::new(),
        reporte: ReporteImportacion {
            archivo: archivo.to_string(),
            formato: hoja.formato.to_string(),
            municipio: municipio.to_string(),
            filas: 0,
            aceptadas: 0,
            rechazadas: 0,
            detalle: Vec::new(),
            sin_coincidencia: Vec::new(),
            aproximados: Vec::new(),
            periodos: Vec::new(),
            indicadores: Vec::new(),
            barrios: 0,
            reemplaza: Vec::new(),
            importacion: None,
        },
    };
    for fila in hoja.filas.iter().skip(header + 1) {
        check.reporte.filas += 1;
        match check.row(fila) {
            Ok(valor) => {
                check.reporte.aceptadas += 1;
                check.valores.push(valor);
            }
            Err(problema) => {
                check.reporte.rechazadas += 1;
                if check.reporte.detalle.len() < MAX_LISTED {
                    check.reporte.detalle.push(FilaRechazada { fila: fila.numero, problema });
                }
            }
        }
    }
    Ok(check.finish())
}

struct Check<'a> {
    cols: Columnas,
    index: Indice<'a>,
    catalogo: &'a [Indicador],
    /// Each (code, name) pair of the file, looked up once.
    matched: HashMap<(String, String), Coincidencia>,
    /// Each indicator as written, looked up once: its code, or why it is refused.
    indicators: HashMap<String, Result<String, Problema>>,
    /// (barrio, period, indicator) → the row that brought it first.
    seen: HashMap<(i64, PeriodoDato, String), usize>,
    /// Names that matched nothing → (rows naming them, first row), to list once each.
    unmatched: BTreeMap<String, (usize, usize)>,
    /// (as written, barrio's name).
    approximate: BTreeSet<(String, String)>,
    valores: Vec<ValorImportado>,
    reporte: ReporteImportacion,
}

impl Check<'_> {
    fn cell(fila: &Fila, column: Option<usize>) -> Option<&Celda> {
        column.and_then(|c| fila.celdas.get(c)).filter(|c| !c.is_empty())
    }

    fn text(fila: &Fila, column: Option<usize>) -> String {
        Self::cell(fila, column).map(Celda::texto).unwrap_or_default()
    }

    /// The value the row brings, or its first problem: barrio, indicator, period, value, then
    /// whether an earlier row brought the same.
    fn row(&mut self, fila: &Fila) -> Result<ValorImportado, Problema> {
        let falta = |columna: &str| Problema::Falta { columna: columna.into() };
        let barrio_id = self.barrio(fila)?;
        let written = Self::text(fila, self.cols.indicador);
        if written.is_empty() {
            return Err(falta("indicador"));
        }
        let indicador = self.indicator(&written)?;
        let periodo = self.period(fila)?;
        let valor = match Self::cell(fila, self.cols.valor) {
            None => return Err(falta("valor")),
            Some(Celda::Numero(n)) if n.is_finite() && *n >= 0.0 => *n,
            Some(Celda::Numero(n)) => return Err(Problema::NumeroInvalido { texto: n.to_string() }),
            Some(celda) => {
                let texto = celda.texto();
                numbers::numero(&texto).ok_or_else(|| Problema::NumeroInvalido { texto: names::for_report(&texto) })?
            }
        };
        if matches!(periodo, PeriodoDato::Anio { .. }) && indicador != POBLACION {
            return Err(Problema::AnioSoloPoblacion);
        }
        if let Some(&first) = self.seen.get(&(barrio_id, periodo, indicador.clone())) {
            return Err(Problema::Duplicado { fila: first });
        }
        self.seen.insert((barrio_id, periodo, indicador.clone()), fila.numero);
        Ok(ValorImportado { barrio_id, periodo, indicador, valor })
    }

    fn barrio(&mut self, fila: &Fila) -> Result<i64, Problema> {
        let (codigo, nombre) = (Self::text(fila, self.cols.codigo), Self::text(fila, self.cols.barrio));
        if codigo.is_empty() && nombre.is_empty() {
            return Err(Problema::Falta { columna: "barrio".into() });
        }
        let key = (codigo, nombre);
        let found = match self.matched.get(&key) {
            Some(found) => found.clone(),
            None => {
                let found = self.index.buscar(&key.0, &key.1);
                self.matched.insert(key.clone(), found.clone());
                found
            }
        };
        let (codigo, nombre) = key;
        let shown = names::for_report(if nombre.is_empty() { &codigo } else { &nombre });
        match found {
            Coincidencia::Exacta(i) => Ok(self.index.barrio(i).id),
            Coincidencia::Aproximada(i) => {
                let barrio = self.index.barrio(i);
                self.approximate.insert((shown, barrio.name.clone()));
                Ok(barrio.id)
            }
            Coincidencia::Ambigua(candidates) => {
                let candidatos = candidates.iter().map(|&i| self.index.barrio(i).name.clone()).collect();
                Err(Problema::BarrioAmbiguo { nombre: shown, candidatos })
            }
            Coincidencia::Ninguna => {
                let entry = self.unmatched.entry(shown.clone()).or_insert((0, fila.numero));
                entry.0 += 1;
                Err(Problema::BarrioDesconocido { nombre: shown })
            }
        }
    }

    fn indicator(&mut self, written: &str) -> Result<String, Problema> {
        if let Some(known) = self.indicators.get(written) {
            return known.clone();
        }
        let folded = fold_name(written);
        let found = if is_poblacion(&folded) {
            Ok(POBLACION.to_string())
        } else {
            match indicador::find(self.catalogo, written) {
                Some(i) if i.activo => Ok(i.code.clone()),
                _ => Err(Problema::IndicadorDesconocido { nombre: names::for_report(written) }),
            }
        };
        self.indicators.insert(written.to_string(), found.clone());
        found
    }

    /// The period: one column, or the year with the cuatrimestre or month beside it (a row
    /// with the year alone names the whole year). A period column without a year takes the
    /// year column's.
    fn period(&self, fila: &Fila) -> Result<PeriodoDato, Problema> {
        let anio = Self::text(fila, self.cols.anio);
        let (text, pista) = if let Some(p) = Self::cell(fila, self.cols.periodo) {
            (format!("{} {anio}", p.texto()), Pista::Ninguna)
        } else if let Some(c) = Self::cell(fila, self.cols.cuatrimestre) {
            (format!("{} {anio}", c.texto()), Pista::Cuatrimestre)
        } else if let Some(m) = Self::cell(fila, self.cols.mes) {
            (format!("{} {anio}", m.texto()), Pista::Mes)
        } else if !anio.is_empty() {
            (anio, Pista::Ninguna)
        } else {
            return Err(Problema::Falta { columna: "periodo".into() });
        };
        periodo(&text, pista).ok_or_else(|| Problema::PeriodoInvalido { texto: names::for_report(text.trim()) })
    }

    fn finish(self) -> Revision {
        let mut reporte = self.reporte;
        let mut unmatched: Vec<(String, (usize, usize))> = self.unmatched.into_iter().collect();
        // Most named first; among equals, in the order the file names them.
        unmatched.sort_by_key(|(_, (rows, first))| (std::cmp::Reverse(*rows), *first));
        reporte.sin_coincidencia = unmatched.into_iter().map(|(name, (rows, _))| (name, rows)).collect();
        reporte.aproximados = self.approximate.into_iter().collect();
        let periodos: BTreeSet<PeriodoDato> = self.valores.iter().map(|v| v.periodo).collect();
        reporte.periodos = periodos.into_iter().map(PeriodoDato::code).collect();
        reporte.indicadores = self.valores.iter().map(|v| v.indicador.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        reporte.barrios = self.valores.iter().map(|v| v.barrio_id).collect::<BTreeSet<_>>().len();
        Revision { valores: self.valores, reporte }
    }
}

#[cfg(test)]
mod tests {
    use app::model::balance::indicador::{catalogo_inicial, Direccion, Unidad};
    use app::model::balance::periodo::Periodo;

    use super::*;

    fn barrios() -> Vec<BarrioRef> {
        [
            (1, "pescaito", "Pescaíto"),
            (2, "bastidas", "Bastidas"),
            (3, "bella-vista", "Bella Vista"),
            (4, "bellavista", "Bellavista"),
            (5, "gaira", "Gaira"),
        ]
        .into_iter()
        .map(|(id, code, name)| BarrioRef { id, code: code.into(), name: name.into() })
        .collect()
    }

    fn catalogo() -> Vec<Indicador> {
        let mut list: Vec<Indicador> = catalogo_inicial().into_iter().map(|d| d.at_version(1, 0, "prueba")).collect();
        list.push(Indicador {
            code: "percepcion".into(),
            nombre: "Percepción de seguridad".into(),
            unidad: Unidad::Porcentaje,
            direccion: Direccion::MayorEsMejor,
            descripcion: String::new(),
            fuente: String::new(),
            activo: false,
            version: 2,
            updated_at_ms: 0,
            updated_by: "prueba".into(),
        });
        list
    }

    fn csv(text: &str) -> Revision {
        let hoja = super::super::read::leer(text.as_bytes()).unwrap();
        revisar(&hoja, "datos.csv", "47001", &barrios(), &catalogo()).unwrap()
    }

    fn problems(r: &Revision) -> Vec<(usize, Problema)> {
        r.reporte.detalle.iter().map(|f| (f.fila, f.problema.clone())).collect()
    }

    #[test]
    fn good_rows_are_taken_with_their_periods_indicators_and_barrios() {
        let r = csv("Barrio;Período;Indicador;Valor\n\
             Pescaíto;2026-C1;Homicidios;1\n\
             Bastidas;2026-C1;hurto a personas;1.234\n\
             Bastidas;2026-09;Hurto a Personas;12,5\n\
             Gaira;2026;Población;3.512\n");
        assert_eq!((r.reporte.filas, r.reporte.aceptadas, r.reporte.rechazadas), (4, 4, 0), "{:?}", r.reporte.detalle);
        let c1 = PeriodoDato::Cuatrimestre { periodo: Periodo { anio: 2026, cuatrimestre: 1 } };
        assert_eq!(r.valores[0], ValorImportado { barrio_id: 1, periodo: c1, indicador: "homicidios".into(), valor: 1.0 });
        assert_eq!(r.valores[1].valor, 1234.0);
        assert_eq!((r.valores[2].periodo, r.valores[2].valor), (PeriodoDato::Mes { anio: 2026, mes: 9 }, 12.5));
        assert_eq!((r.valores[3].indicador.as_str(), r.valores[3].valor), (POBLACION, 3512.0));
        assert_eq!(r.reporte.periodos, vec!["2026", "2026-C1", "2026-09"]);
        assert_eq!(r.reporte.indicadores, vec!["homicidios", "hurto_personas", "poblacion"]);
        assert_eq!(r.reporte.barrios, 3);
        assert!(r.reporte.aproximados.is_empty() && r.reporte.sin_coincidencia.is_empty());
        assert_eq!((r.reporte.archivo.as_str(), r.reporte.formato.as_str(), r.reporte.municipio.as_str()), ("datos.csv", "csv", "47001"));
    }

    #[test]
    fn each_refused_row_says_why_with_its_spreadsheet_row() {
        let r = csv("barrio,año,cuatrimestre,indicador,valor\n\
             Pescaito,2026,1,homicidios,1\n\
             Gaira Alta,2026,1,homicidios,1\n\
             Bellavista Barrio,2026,1,homicidios,1\n\
             Gaira,2026,1,homicidios,-1\n\
             Gaira,2026,1,homicidios,NaN\n\
             Gaira,2026,1,homicidios,\n\
             PESCAITO,2026,1,Homicidios,2\n\
             Gaira,2026,1,secuestro,1\n\
             Gaira,2026,1,percepcion,50\n\
             Gaira,2026,5,homicidios,1\n\
             Gaira,2026,,homicidios,1\n\
             ,2026,1,homicidios,1\n\
             Gaira,,,homicidios,1\n\
             Gaira Alta,2026,2,homicidios,3\n\
             Gaira,2026,1,,1\n");
        assert_eq!((r.reporte.filas, r.reporte.aceptadas, r.reporte.rechazadas), (15, 1, 14));
        assert_eq!(
            problems(&r),
            vec![
                (3, Problema::BarrioDesconocido { nombre: "Gaira Alta".into() }),
                (
                    4,
                    Problema::BarrioAmbiguo {
                        nombre: "Bellavista Barrio".into(),
                        candidatos: vec!["Bella Vista".into(), "Bellavista".into()]
                    }
                ),
                (5, Problema::NumeroInvalido { texto: "-1".into() }),
                (6, Problema::NumeroInvalido { texto: "NaN".into() }),
                (7, Problema::Falta { columna: "valor".into() }),
                (8, Problema::Duplicado { fila: 2 }),
                (9, Problema::IndicadorDesconocido { nombre: "secuestro".into() }),
                (10, Problema::IndicadorDesconocido { nombre: "percepcion".into() }),
                (11, Problema::PeriodoInvalido { texto: "5 2026".into() }),
                (12, Problema::AnioSoloPoblacion),
                (13, Problema::Falta { columna: "barrio".into() }),
                (14, Problema::Falta { columna: "periodo".into() }),
                (15, Problema::BarrioDesconocido { nombre: "Gaira Alta".into() }),
                (16, Problema::Falta { columna: "indicador".into() }),
            ]
        );
        assert_eq!(r.reporte.sin_coincidencia, vec![("Gaira Alta".to_string(), 2)], "once, with how many rows");
        assert_eq!(
            r.reporte.aproximados,
            vec![("PESCAITO".to_string(), "Pescaíto".to_string()), ("Pescaito".to_string(), "Pescaíto".to_string())]
        );
    }

    #[test]
    fn a_report_reads_back_as_it_is_stored_and_sent() {
        let r = csv("barrio;periodo;indicador;valor\nGaira;2026-C1;rinas;1\nGaira;2026-C1;rinas;2\nOtro;2026-C1;rinas;1\n");
        let json = serde_json::to_value(&r.reporte).unwrap();
        assert_eq!(json["detalle"][0], serde_json::json!({ "fila": 3, "problema": "duplicado", "duplicado_de": 2 }));
        assert_eq!(json["detalle"][1], serde_json::json!({ "fila": 4, "problema": "barrio_desconocido", "nombre": "Otro" }));
        let back: ReporteImportacion = serde_json::from_value(json).unwrap();
        assert_eq!(back, r.reporte);
    }

    #[test]
    fn unmatched_names_are_listed_most_named_first_and_the_detail_is_capped() {
        let mut text = String::from("barrio;periodo;indicador;valor\n");
        for i in 0..MAX_LISTED + 10 {
            text.push_str(&format!("Inexistente {};2026-C1;rinas;1\n", i % 3));
        }
        text.push_str("Otro;2026-C1;rinas;1\n");
        let r = csv(&text);
        assert_eq!(r.reporte.rechazadas, MAX_LISTED + 11, "every refused row is counted");
        assert_eq!(r.reporte.detalle.len(), MAX_LISTED, "the first ones are listed");
        let names: Vec<(&str, usize)> = r.reporte.sin_coincidencia.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(names, vec![("Inexistente 0", 170), ("Inexistente 1", 170), ("Inexistente 2", 170), ("Otro", 1)]);
    }

    #[test]
    fn a_header_without_what_rows_need_refuses_the_file() {
        let hoja = super::super::read::leer(b"barrio;valor\nGaira;1\n").unwrap();
        let err = revisar(&hoja, "x.csv", "47001", &barrios(), &catalogo()).unwrap_err();
        assert!(
            matches!(err, ImportacionError::MissingColumns { ref missing } if missing == &vec!["periodo (o año)", "indicador"]),
            "{err:?}"
        );
    }

    #[test]
    fn codes_months_and_workbook_numbers_are_read() {
        let r = csv("Código;Año;Mes;Indicador;Casos\nbastidas;2025;septiembre;rinas;3\ngaira;2025;12;Riñas;4\nno-existe;2025;1;rinas;1\n");
        assert_eq!(r.reporte.aceptadas, 2);
        assert_eq!(r.valores[0].periodo, PeriodoDato::Mes { anio: 2025, mes: 9 });
        assert_eq!(r.valores[1].periodo, PeriodoDato::Mes { anio: 2025, mes: 12 });
        assert_eq!(r.reporte.sin_coincidencia, vec![("no-existe".to_string(), 1)]);

        let hoja = Hoja {
            formato: "xlsx",
            filas: vec![
                Fila { numero: 1, celdas: ["barrio", "periodo", "indicador", "valor"].map(|t| Celda::Texto(t.into())).to_vec() },
                Fila {
                    numero: 2,
                    celdas: vec![
                        Celda::Texto("Gaira".into()),
                        Celda::Fecha { anio: 2026, mes: 3 },
                        Celda::Texto("rinas".into()),
                        Celda::Numero(1.234),
                    ],
                },
                Fila {
                    numero: 3,
                    celdas: vec![
                        Celda::Texto("Gaira".into()),
                        Celda::Numero(2026.0),
                        Celda::Texto("poblacion".into()),
                        Celda::Numero(-5.0),
                    ],
                },
            ],
        };
        let r = revisar(&hoja, "x.xlsx", "47001", &barrios(), &catalogo()).unwrap();
        assert_eq!(
            r.valores,
            vec![ValorImportado {
                barrio_id: 5,
                periodo: PeriodoDato::Mes { anio: 2026, mes: 3 },
                indicador: "rinas".into(),
                valor: 1.234
            }]
        );
        assert_eq!(problems(&r), vec![(3, Problema::NumeroInvalido { texto: "-5".into() })]);
    }
}
