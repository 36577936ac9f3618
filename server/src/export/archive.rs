//! A diagnóstico's archive as one ZIP for staff: its GeoPackage, its hotspots and source marks
//! as GeoJSON (each feature listing its photos and voice notes), those files under `media/`,
//! and a LEEME.txt. Written to any seekable sink; the media are copied from disk as they are.

use std::io::{Seek, Write};
use std::path::PathBuf;

use app::model::review::StoredDiagnostico;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{diagnostico_gpkg, hotspots_geojson_with, marks_geojson_with, ExportError, MediaPaths, SourceMark};
use crate::media::sniff::extension;

/// A photo or voice note of a source mark, kept on disk at `path`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveMedia {
    pub id: Uuid,
    pub mark_id: Uuid,
    pub mime: String,
    pub path: PathBuf,
}

impl ArchiveMedia {
    /// Its path inside the archive: `media/<uuid>.<ext>`, the extension by its type.
    pub fn name(&self) -> String {
        format!("media/{}.{}", self.id, extension(&self.mime))
    }
}

/// What goes in a diagnóstico's archive.
pub struct Archive<'a> {
    pub stored: &'a StoredDiagnostico,
    pub marks: &'a [SourceMark],
    pub barrio_name: &'a str,
    pub barrio_code: &'a str,
    pub media: &'a [ArchiveMedia],
    /// When the archive is made: the date its entries carry and its LEEME states.
    pub made_at_ms: i64,
}

/// The name the archive is downloaded under: `diagnostico-<code>-<number>.zip`, the code kept
/// to what every file system and a `Content-Disposition` header take.
pub fn file_name(barrio_code: &str, number: u32) -> String {
    let code: String = barrio_code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("diagnostico-{code}-{number}.zip")
}

/// Each mark's files by their paths in the archive, in the order given.
pub fn media_paths(media: &[ArchiveMedia]) -> MediaPaths {
    let mut paths = MediaPaths::new();
    for m in media {
        paths.entry(m.mark_id).or_default().push(m.name());
    }
    paths
}

/// A moment as a ZIP entry's date, in Colombian time (what the archive's readers live in);
/// 1980-01-01 when out of the format's range.
fn entry_time(ms: i64) -> DateTime {
    let (date, time) = app::model::workshop::colombia_date_time(ms);
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<u16>().ok());
    let parts = (number(date.get(0..4)), number(date.get(5..7)), number(date.get(8..10)), number(time.get(0..2)), number(time.get(3..5)));
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi)) = parts else { return DateTime::default() };
    let small = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    DateTime::from_date_and_time(y, small(mo), small(d), small(h), small(mi), 0).unwrap_or_default()
}

/// What the LEEME.txt says: what each file is, and that the archive is the team's only.
pub fn leeme(a: &Archive<'_>) -> String {
    let (date, time) = app::model::workshop::colombia_date_time(a.made_at_ms);
    let (photos, notes) = a.media.iter().fold((0, 0), |(p, n), m| if m.mime.starts_with("image/") { (p + 1, n) } else { (p, n + 1) });
    format!(
        "Archivo del diagnóstico {number} de {name} ({code})\r\n\
         Preparado por Cartobarrio el {day} a las {time} (hora de Colombia).\r\n\
         \r\n\
         Qué contiene:\r\n\
         \r\n\
         - diagnostico.gpkg: GeoPackage para QGIS o ArcGIS (WGS84). Capas de puntos, rutas y zonas\r\n\
         \x20 críticas, y de las marcas de los participantes tal como estaban al generar el diagnóstico.\r\n\
         - diagnostico.geojson: los puntos críticos en GeoJSON (WGS84). Su propiedad «media» lista las\r\n\
         \x20 fotos y notas de voz de las marcas de cada punto crítico.\r\n\
         - marcas.geojson: las marcas del diagnóstico en GeoJSON, cada una con su geometría. Su\r\n\
         \x20 propiedad «media» lista las fotos y notas de voz de esa marca.\r\n\
         - media/: {photos} foto(s) y {notes} nota(s) de voz de esas marcas, tal como se recibieron.\r\n\
         \x20 Cada archivo lleva el identificador de la foto o la nota; la propiedad «media» de los\r\n\
         \x20 GeoJSON dice a qué marca pertenece. Las fotos o notas ocultadas no están.\r\n\
         \r\n\
         Material reservado del equipo: contiene alias, lugares exactos, fotos y voces de los\r\n\
         participantes. No lo publique ni lo comparta fuera del equipo.\r\n",
        number = a.stored.number,
        name = a.barrio_name,
        code = a.barrio_code,
        day = app::model::workshop::date_es(&date),
    )
}

/// Writes the archive into `out` and hands it back, finished. Text and the GeoPackage are
/// deflated; photos and voice notes, compressed already, are stored as they are.
pub fn write_archive<W: Write + Seek>(out: W, a: &Archive<'_>) -> Result<W, ExportError> {
    let when = entry_time(a.made_at_ms);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(when);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(when);
    let paths = media_paths(a.media);
    let mut zip = ZipWriter::new(out);
    zip.start_file("LEEME.txt", deflated)?;
    zip.write_all(leeme(a).as_bytes())?;
    zip.start_file("diagnostico.gpkg", deflated)?;
    zip.write_all(&diagnostico_gpkg(a.stored, a.marks, a.barrio_name)?)?;
    zip.start_file("diagnostico.geojson", deflated)?;
    zip.write_all(hotspots_geojson_with(a.stored, a.barrio_name, Some(&paths)).as_bytes())?;
    zip.start_file("marcas.geojson", deflated)?;
    zip.write_all(marks_geojson_with(a.stored, a.marks, a.barrio_name, Some(&paths)).as_bytes())?;
    for m in a.media {
        zip.start_file(m.name(), stored)?;
        std::io::copy(&mut std::fs::File::open(&m.path)?, &mut zip)?;
    }
    Ok(zip.finish()?)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;
    use crate::export::tests::{hotspot, stored};

    #[test]
    fn names_are_safe_and_say_what_the_file_is() {
        assert_eq!(file_name("pescaito", 3), "diagnostico-pescaito-3.zip");
        assert_eq!(file_name("san josé\"x", 1), "diagnostico-san_jos__x-1.zip");
        let m = ArchiveMedia { id: Uuid::from_u128(1), mark_id: Uuid::nil(), mime: "audio/mp4".into(), path: PathBuf::new() };
        assert_eq!(m.name(), "media/00000000-0000-0000-0000-000000000001.m4a");
    }

    #[test]
    fn entries_are_dated_in_colombian_time() {
        // 2026-12-01 03:00 UTC is 22:00 of 30 November in Santa Marta.
        let t = entry_time(1_796_094_000_000);
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (2026, 11, 30, 22, 0));
        assert_eq!(entry_time(0), DateTime::default(), "before 1980");
    }

    #[test]
    fn the_archive_holds_the_exports_the_leeme_and_each_file_stored_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo");
        std::fs::write(&photo, b"\xFF\xD8\xFF not really a jpeg").unwrap();
        let stored = stored(vec![hotspot("rinas", geojson::Value::Point(vec![-74.2, 11.24]))]);
        let media = vec![ArchiveMedia { id: Uuid::from_u128(5), mark_id: Uuid::from_u128(1), mime: "image/jpeg".into(), path: photo }];
        let a = Archive {
            stored: &stored,
            marks: &[],
            barrio_name: "Pescaíto",
            barrio_code: "pescaito",
            media: &media,
            made_at_ms: 1_796_094_000_000,
        };
        let bytes = write_archive(Cursor::new(Vec::new()), &a).unwrap().into_inner();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let names: Vec<String> = zip.file_names().map(String::from).collect();
        let name = media[0].name();
        assert_eq!(names, vec!["LEEME.txt", "diagnostico.gpkg", "diagnostico.geojson", "marcas.geojson", name.as_str()]);
        let mut entry = zip.by_name(&name).unwrap();
        assert_eq!(entry.compression(), CompressionMethod::Stored);
        let mut kept = Vec::new();
        entry.read_to_end(&mut kept).unwrap();
        assert_eq!(kept, b"\xFF\xD8\xFF not really a jpeg");
        drop(entry);
        let mut geojson = String::new();
        let mut entry = zip.by_name("diagnostico.geojson").unwrap();
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        entry.read_to_string(&mut geojson).unwrap();
        assert!(geojson.contains(&format!("\"media\":[\"{name}\"]")), "{geojson}");
        drop(entry);
        let mut leeme = String::new();
        zip.by_name("LEEME.txt").unwrap().read_to_string(&mut leeme).unwrap();
        assert!(
            leeme.contains("diagnóstico 2 de Pescaíto") && leeme.contains("1 foto(s) y 0 nota(s)") && leeme.contains("30/11/2026"),
            "{leeme}"
        );
    }
}
