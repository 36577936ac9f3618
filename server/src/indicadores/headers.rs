//! Which column of a file holds what, from its header, forgiving accents, case, spaces and the
//! usual synonyms ("Año", "ANIO", "year"; "Nombre del barrio"; "Casos").

use app::model::balance::indicador::fold_name;

use super::read::{Celda, Fila};

/// Rows at the top searched for the header: a sheet often starts with a title or a note.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// What a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rol {
    /// The barrio's code.
    Codigo,
    /// The barrio's name.
    Barrio,
    Anio,
    Cuatrimestre,
    Mes,
    /// A whole period in one cell (`2026-C3`, `septiembre 2026`…).
    Periodo,
    Indicador,
    Valor,
}

/// The column of each role, when the header has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columnas {
    pub codigo: Option<usize>,
    pub barrio: Option<usize>,
    pub anio: Option<usize>,
    pub cuatrimestre: Option<usize>,
    pub mes: Option<usize>,
    pub periodo: Option<usize>,
    pub indicador: Option<usize>,
    pub valor: Option<usize>,
}

/// The role a header cell names, if any. Words such as "de", "del" and "nombre" are left out
/// before comparing, so "Nombre del barrio" is "barrio".
pub fn rol(header: &str) -> Option<Rol> {
    const FILLER: &[&str] = &["de", "del", "la", "el", "nombre", "nom", "no", "n", "numero", "num", "total", "the", "name"];
    let folded = fold_name(header);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let key: Vec<&str> = words.iter().copied().filter(|w| !FILLER.contains(w)).collect();
    let has = |w: &str| key.contains(&w);
    let rol = match key.as_slice() {
        // A code of the barrio: "código", "código del barrio", "cod barrio", "id barrio".
        k if (has("codigo") || has("cod") || has("code") || has("id")) && (k.len() == 1 || has("barrio")) => Rol::Codigo,
        ["barrio"] | ["barrios"] | ["barrio", "vereda"] | ["neighborhood"] | ["neighbourhood"] => Rol::Barrio,
        ["ano"] | ["anio"] | ["year"] | ["vigencia"] => Rol::Anio,
        ["cuatrimestre"] | ["cuatri"] | ["cuatrim"] => Rol::Cuatrimestre,
        ["mes"] | ["month"] => Rol::Mes,
        ["periodo"] | ["period"] | ["fecha"] | ["date"] => Rol::Periodo,
        ["indicador"] | ["indicator"] | ["delito"] | ["conducta"] | ["variable"] => Rol::Indicador,
        ["valor"] | ["value"] | ["casos"] | ["cantidad"] | ["cases"] | ["dato"] => Rol::Valor,
        [] if words == ["total"] => Rol::Valor,
        _ => return None,
    };
    Some(rol)
}

/// The columns the row names; the first column of each role counts.
pub fn columnas(fila: &Fila) -> Columnas {
    let mut out = Columnas::default();
    for (i, celda) in fila.celdas.iter().enumerate() {
        let Celda::Texto(text) = celda else {
            continue;
        };
        let slot = match rol(text) {
            Some(Rol::Codigo) => &mut out.codigo,
            Some(Rol::Barrio) => &mut out.barrio,
            Some(Rol::Anio) => &mut out.anio,
            Some(Rol::Cuatrimestre) => &mut out.cuatrimestre,
            Some(Rol::Mes) => &mut out.mes,
            Some(Rol::Periodo) => &mut out.periodo,
            Some(Rol::Indicador) => &mut out.indicador,
            Some(Rol::Valor) => &mut out.valor,
            None => continue,
        };
        slot.get_or_insert(i);
    }
    out
}

impl Columnas {
    /// The Spanish names of what the header lacks for every row: a barrio (by name or code),
    /// a period (one column, or the year), an indicator and a value.
    pub fn faltan(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.barrio.is_none() && self.codigo.is_none() {
            out.push("barrio");
        }
        if self.periodo.is_none() && self.anio.is_none() {
            out.push("periodo (o año)");
        }
        if self.indicador.is_none() {
            out.push("indicador");
        }
        if self.valor.is_none() {
            out.push("valor");
        }
        out
    }

    fn found(&self) -> usize {
        [self.codigo, self.barrio, self.anio, self.cuatrimestre, self.mes, self.periodo, self.indicador, self.valor]
            .iter()
            .filter(|c| c.is_some())
            .count()
    }
}

/// The header among the first rows: the first that names every column a row needs, else the
/// one that names the most (to say what it lacks). Its index in `filas`.
pub fn encabezado(filas: &[Fila]) -> (usize, Columnas) {
    let mut best = (0, Columnas::default());
    for (i, fila) in filas.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let cols = columnas(fila);
        if cols.faltan().is_empty() {
            return (i, cols);
        }
        if cols.found() > best.1.found() {
            best = (i, cols);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_forgivingly() {
        for (header, expected) in [
            ("Barrio", Some(Rol::Barrio)),
            ("NOMBRE DEL BARRIO", Some(Rol::Barrio)),
            ("  nombre  barrio ", Some(Rol::Barrio)),
            ("Código", Some(Rol::Codigo)),
            ("codigo_barrio", Some(Rol::Codigo)),
            ("Cod. Barrio", Some(Rol::Codigo)),
            ("Año", Some(Rol::Anio)),
            ("AÑO", Some(Rol::Anio)),
            ("anio", Some(Rol::Anio)),
            ("Year", Some(Rol::Anio)),
            ("Cuatrimestre", Some(Rol::Cuatrimestre)),
            ("Mes", Some(Rol::Mes)),
            ("month", Some(Rol::Mes)),
            ("Período", Some(Rol::Periodo)),
            ("periodo", Some(Rol::Periodo)),
            ("Indicador", Some(Rol::Indicador)),
            ("indicator", Some(Rol::Indicador)),
            ("Valor", Some(Rol::Valor)),
            ("value", Some(Rol::Valor)),
            ("Casos", Some(Rol::Valor)),
            ("Número de casos", Some(Rol::Valor)),
            ("Total", Some(Rol::Valor)),
            ("Comuna", None),
            ("Fuente", None),
            ("", None),
        ] {
            assert_eq!(rol(header), expected, "{header:?}");
        }
    }

    fn fila(numero: usize, cells: &[&str]) -> Fila {
        Fila { numero, celdas: cells.iter().map(|c| Celda::Texto(c.to_string())).collect() }
    }

    #[test]
    fn the_header_may_come_after_a_title_and_says_what_it_lacks() {
        let filas =
            [fila(1, &["Observatorio de Seguridad — datos por barrio"]), fila(2, &["Barrio", "Año", "Cuatrimestre", "Delito", "Casos"])];
        let (i, cols) = encabezado(&filas);
        assert_eq!(i, 1);
        assert_eq!((cols.barrio, cols.anio, cols.cuatrimestre, cols.indicador, cols.valor), (Some(0), Some(1), Some(2), Some(3), Some(4)));
        assert!(cols.faltan().is_empty());

        let (i, cols) = encabezado(&[fila(1, &["barrio", "valor", "comuna"])]);
        assert_eq!(i, 0);
        assert_eq!(cols.faltan(), vec!["periodo (o año)", "indicador"]);
        assert_eq!(encabezado(&[fila(1, &["x", "y"])]).1.faltan(), vec!["barrio", "periodo (o año)", "indicador", "valor"]);
    }
}
