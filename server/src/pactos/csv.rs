//! An institution's compromisos as a CSV for spreadsheets, in the order of its page (overdue
//! first): UTF-8 with a byte-order mark (so Excel shows the accents), `;` separated (what a
//! spreadsheet in Spanish opens in columns), text defused against CSV injection.

use app::model::pacto::pacto::titulo;
use app::model::pacto::CompromisoDeInstitucion;

use crate::export::{cell, colombia_time};

const COLUMNS: [&str; 12] = [
    "barrio",
    "pacto",
    "compromiso",
    "lugar",
    "fecha_limite",
    "estado",
    "vencido",
    "estado_desde",
    "indicador",
    "barrio_id",
    "pacto_id",
    "compromiso_id",
];

/// The lines as CSV, one row each, under a header row.
pub fn compromisos_csv(lineas: &[CompromisoDeInstitucion]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for l in lineas {
            let c = &l.compromiso;
            w.write_record([
                cell(&l.barrio),
                cell(&titulo(l.pacto_version)),
                cell(&c.que),
                cell(&c.lugar),
                cell(&c.fecha_limite),
                l.estado.label_es().to_string(),
                if l.vencido { "sí" } else { "no" }.to_string(),
                colombia_time(l.desde_ms),
                cell(&c.indicador),
                l.barrio_id.to_string(),
                l.pacto_id.to_string(),
                c.id.to_string(),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::pacto::{Compromiso, EstadoCompromiso};
    use uuid::Uuid;

    fn linea(que: &str, vencido: bool) -> CompromisoDeInstitucion {
        CompromisoDeInstitucion {
            barrio_id: 7,
            barrio: "Pescaíto".into(),
            pacto_id: Uuid::from_u128(1),
            pacto_version: 2,
            compromiso: Compromiso {
                id: Uuid::from_u128(2),
                responsable: "essmar".into(),
                que: que.into(),
                hotspot_id: None,
                lugar: "Parque; central".into(),
                fecha_limite: "2027-01-31".into(),
                indicador: "+ luminarias".into(),
                solucion_id: None,
            },
            estado: if vencido { EstadoCompromiso::Pendiente } else { EstadoCompromiso::Cumplido },
            desde_ms: 1_767_225_600_000,
            vencido,
        }
    }

    #[test]
    fn a_line_per_compromiso_separated_by_semicolons_and_defused() {
        let bytes = compromisos_csv(&[linea("=HYPERLINK(\"x\")", true), linea("Poda de árboles", false)]).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(";"));
        assert_eq!(
            lines[1],
            "Pescaíto;Otrosí n.º 1 al pacto de seguridad y convivencia;\"'=HYPERLINK(\"\"x\"\")\";\"Parque; central\";2027-01-31;\
             Pendiente;sí;2025-12-31 19:00;'+ luminarias;7;00000000-0000-0000-0000-000000000001;00000000-0000-0000-0000-000000000002"
        );
        assert!(lines[2].contains(";Cumplido;no;"), "{}", lines[2]);
        assert_eq!(lines.len(), 3);
    }
}
