//! Command-line and environment configuration, with defaults that work from a fresh clone.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Cartobarrio: cartografía social para la seguridad. Serves the app and its API, and keeps
/// every mark in an embedded SQLite database.
#[derive(Debug, Parser)]
#[command(name = "cartobarrio", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub server: ServerConfig,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Dissolve a GeoJSON file of barrio pieces into one boundary per barrio and write it as a
    /// seed file, printing a report of every piece repaired or skipped.
    DeriveSeed {
        /// The source FeatureCollection (WGS84).
        #[arg(long)]
        input: PathBuf,
        /// Where to write the dissolved barrios.
        #[arg(long)]
        output: PathBuf,
        /// Where to write the JSON report (repaired and skipped pieces).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Property holding the barrio name.
        #[arg(long, default_value = "name")]
        name_property: String,
        /// Property holding the comuna, if the file has one.
        #[arg(long)]
        comuna_property: Option<String>,
    },
    /// Import barrios and/or city-wide base layers (streets, blocks, landmarks) from GeoJSON
    /// files, printing a report of every feature repaired or skipped.
    Import(Box<ImportArgs>),
    /// Import indicator data (figures per barrio and period from the Observatorio, SIEDCO or
    /// the RNMC) from a CSV or XLSX file, printing the report row by row. Exits non-zero when
    /// no row could be imported.
    ImportIndicators(ImportIndicatorsArgs),
    /// Create an admin account (the first one, or another), in the database of `--db`. The
    /// password is read from CARTOBARRIO_NEW_PASSWORD if set, else from the first line of
    /// standard input, so it never appears in the process list or the shell's history.
    CreateAdmin {
        /// The user name to sign in with (letters, digits, dots, dashes, underscores).
        #[arg(long)]
        username: String,
        /// The name shown in the app and the audit log.
        #[arg(long)]
        display_name: Option<String>,
    },
}

/// `cartobarrio import`: barrios and/or city-wide base layers from GeoJSON files into the
/// database (`--db`), in one transaction, with a per-feature report.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The city imported into, as its DIVIPOLA code (5 digits): 47001 is Santa Marta (the
    /// default), 08001 Barranquilla. Only barrios of this municipio are matched and updated;
    /// layers are cut for its barrios only.
    #[arg(long, default_value = "47001", value_parser = parse_municipio)]
    pub municipio: String,
    /// Barrio boundaries (FeatureCollection of Polygons/MultiPolygons, WGS84). Pieces with the
    /// same code (or, without `--code-property`, the same name) are dissolved into one barrio;
    /// barrios of the municipio already stored with the same code are updated and keep their
    /// marks. Pieces of one barrio more than 20 km apart are reported, not merged.
    #[arg(long)]
    pub barrios: Option<PathBuf>,
    /// Replace stored boundaries that would move more than `--max-move-m`, no longer overlap
    /// the old one, or have marks. Without it such an import is refused as a whole (non-zero
    /// exit) with a report listing each barrio; with it, the report lists each one replaced.
    #[arg(long)]
    pub replace: bool,
    /// How far a stored boundary's centroid may move without `--replace`, in metres.
    #[arg(long, default_value_t = crate::import::plan::DEFAULT_MAX_MOVE_M)]
    pub max_move_m: f64,
    /// Streets for the whole city (LineStrings), cut to each barrio with the margin.
    #[arg(long)]
    pub streets: Option<PathBuf>,
    /// Blocks (manzanas) for the whole city (Polygons).
    #[arg(long)]
    pub blocks: Option<PathBuf>,
    /// Landmarks for the whole city (Points, or areas placed at a point inside them).
    #[arg(long)]
    pub landmarks: Option<PathBuf>,
    /// Property holding the barrio name.
    #[arg(long, default_value = "name")]
    pub name_property: String,
    /// Property holding the comuna.
    #[arg(long)]
    pub comuna_property: Option<String>,
    /// Property holding the barrio's official code (otherwise a code is made from the name).
    #[arg(long)]
    pub code_property: Option<String>,
    /// Property holding the street name.
    #[arg(long, default_value = "name")]
    pub street_name_property: String,
    /// Property saying what a landmark is (`parque`, `school`, `Iglesia`…).
    #[arg(long, default_value = "kind")]
    pub landmark_kind_property: String,
    /// Property holding the landmark's name.
    #[arg(long, default_value = "name")]
    pub landmark_name_property: String,
    /// How far beyond a barrio's boundary its layers reach, in metres.
    #[arg(long, default_value_t = 30.0)]
    pub margin_m: f64,
    /// Attribution of the boundaries, shown beside the map.
    #[arg(long, default_value = "Límites importados.")]
    pub barrio_source: String,
    /// Attribution of the layers, shown beside the map.
    #[arg(long, default_value = "Capas importadas.")]
    pub layer_source: String,
    /// Do not give demo layers to barrios that no real layer reaches.
    #[arg(long)]
    pub no_demo: bool,
    /// Where to write the JSON report.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Only report what would happen; write nothing (the database is read, never created
    /// or migrated).
    #[arg(long)]
    pub dry_run: bool,
}

/// `cartobarrio import-indicators FILE`: one file of indicator data into the database
/// (`--db`), in one transaction, as `POST /api/v1/indicadores/importaciones` does.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportIndicatorsArgs {
    /// The file: CSV (UTF-8 or Windows-1252, columns separated by `;` or `,`) or an XLSX
    /// workbook (its first sheet). One row per barrio, period, indicator and value.
    pub file: PathBuf,
    /// The city the figures are of, as its DIVIPOLA code (Santa Marta: 47001); may be left
    /// out when the database holds one city.
    #[arg(long, value_parser = parse_municipio)]
    pub municipio: Option<String>,
    /// Only report what would be imported and which periods it would replace; write nothing
    /// (the database is read, never created or migrated).
    #[arg(long)]
    pub dry_run: bool,
}

/// A DIVIPOLA municipality code: exactly 5 digits (keep the leading 0 of 05001).
fn parse_municipio(s: &str) -> Result<String, String> {
    if crate::import::plan::is_municipio(s) {
        Ok(s.to_string())
    } else {
        Err(format!("«{s}» no es un código DIVIPOLA de municipio (5 dígitos, p. ej. 47001) / not a 5-digit DIVIPOLA code"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port (the chosen address is printed).
    #[arg(long, env = "CARTOBARRIO_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,
    /// SQLite database file; created with its folder on first start, and seeded with the
    /// Santa Marta barrios.
    #[arg(long, env = "CARTOBARRIO_DB", default_value = "data/cartobarrio.sqlite3", global = true)]
    pub db: PathBuf,
    /// Log filter, e.g. `info`, `debug`, `server=debug,tower_http=info`.
    #[arg(long, env = "CARTOBARRIO_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Log format: readable text or one JSON object per line.
    #[arg(long, env = "CARTOBARRIO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Folder with the built site (the `pkg/` wasm, JS and CSS, and the public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,
    /// Optional deployment label added to the service worker's version, so a server-only
    /// change still reaches installed devices as "Hay una nueva versión".
    #[arg(long, env = "CARTOBARRIO_BUILD_ID", default_value = "", global = true)]
    pub build_id: String,
    /// Largest request body accepted by the API, in bytes.
    #[arg(long, env = "CARTOBARRIO_MAX_BODY", default_value_t = 64 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Largest batch accepted by `POST /api/v1/sync`, in bytes (up to 250 changes).
    #[arg(long, env = "CARTOBARRIO_MAX_SYNC", default_value_t = 1024 * 1024, global = true)]
    pub max_sync_bytes: usize,
    /// Largest upload accepted by `POST /api/v1/admin/import`, in bytes.
    #[arg(long, env = "CARTOBARRIO_MAX_IMPORT", default_value_t = 64 * 1024 * 1024, global = true)]
    pub max_import_bytes: usize,
    /// Largest file accepted as a registro (`POST /api/v1/ciclos/{id}/registros`), in bytes.
    #[arg(long, env = "CARTOBARRIO_MAX_UPLOAD", default_value_t = 25 * 1024 * 1024, global = true)]
    pub max_upload_bytes: u64,
    /// Seconds a client has to send a request's headers; a connection that stalls is closed.
    #[arg(long, env = "CARTOBARRIO_HEADER_TIMEOUT", default_value_t = 10, global = true)]
    pub header_timeout_s: u64,
    /// Seconds a request body may go without sending anything before it is refused.
    #[arg(long, env = "CARTOBARRIO_BODY_TIMEOUT", default_value_t = 15, global = true)]
    pub body_timeout_s: u64,
    /// Seconds a request may take in all (reading, work and answer) before it is answered 503.
    #[arg(long, env = "CARTOBARRIO_REQUEST_TIMEOUT", default_value_t = 60, global = true)]
    pub request_timeout_s: u64,
}

impl ServerConfig {
    pub fn connection_limits(&self) -> crate::listen::ConnectionLimits {
        crate::listen::ConnectionLimits { header_read: std::time::Duration::from_secs(self.header_timeout_s), ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_work_from_a_fresh_clone() {
        let cli = Cli::try_parse_from(["cartobarrio"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.server.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(cli.server.db, PathBuf::from("data/cartobarrio.sqlite3"));
        assert_eq!(cli.server.max_sync_bytes, 1024 * 1024);
    }

    #[test]
    fn flags_override_defaults() {
        let cli =
            Cli::try_parse_from(["cartobarrio", "serve", "--addr", "127.0.0.1:0", "--db", "/tmp/x.db", "--log-format", "json"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Serve)));
        assert_eq!(cli.server.addr.port(), 0);
        assert_eq!(cli.server.log_format, LogFormat::Json);
    }

    #[test]
    fn import_takes_other_property_names() {
        let cli = Cli::try_parse_from([
            "cartobarrio",
            "import",
            "--barrios",
            "b.geojson",
            "--streets",
            "s.geojson",
            "--name-property",
            "NOMBRE",
            "--code-property",
            "COD",
            "--street-name-property",
            "NOMBRE_VIA",
            "--dry-run",
        ])
        .unwrap();
        let Some(Command::Import(args)) = cli.command else { panic!("not import") };
        assert_eq!(args.name_property, "NOMBRE");
        assert_eq!(args.code_property.as_deref(), Some("COD"));
        assert!(args.dry_run && !args.no_demo);
        assert_eq!(args.municipio, "47001", "Santa Marta unless said");
        assert!(!args.replace);
    }

    #[test]
    fn import_takes_a_five_digit_municipio() {
        let parse = |m: &str| Cli::try_parse_from(["cartobarrio", "import", "--barrios", "b.geojson", "--municipio", m]);
        let Some(Command::Import(args)) = parse("08001").unwrap().command else { panic!("not import") };
        assert_eq!(args.municipio, "08001");
        for bad in ["8001", "080011", "08a01", ""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn import_indicators_takes_a_file_a_city_and_a_dry_run() {
        let cli = Cli::try_parse_from(["cartobarrio", "import-indicators", "datos.xlsx", "--municipio", "47001", "--dry-run"]).unwrap();
        let Some(Command::ImportIndicators(args)) = cli.command else { panic!("not import-indicators") };
        assert_eq!((args.file, args.municipio.as_deref(), args.dry_run), (PathBuf::from("datos.xlsx"), Some("47001"), true));
        let cli = Cli::try_parse_from(["cartobarrio", "import-indicators", "datos.csv"]).unwrap();
        let Some(Command::ImportIndicators(args)) = cli.command else { panic!("not import-indicators") };
        assert_eq!((args.municipio, args.dry_run), (None, false));
        assert!(Cli::try_parse_from(["cartobarrio", "import-indicators"]).is_err(), "the file is needed");
        assert!(Cli::try_parse_from(["cartobarrio", "import-indicators", "x.csv", "--municipio", "470"]).is_err());
    }

    #[test]
    fn create_admin_takes_a_user_name() {
        let cli = Cli::try_parse_from(["cartobarrio", "create-admin", "--username", "ana", "--db", "/tmp/x.db"]).unwrap();
        let Some(Command::CreateAdmin { username, display_name }) = cli.command else { panic!("not create-admin") };
        assert_eq!((username.as_str(), display_name), ("ana", None));
        assert_eq!(cli.server.db, PathBuf::from("/tmp/x.db"));
    }

    #[test]
    fn a_bad_address_is_refused() {
        assert!(Cli::try_parse_from(["cartobarrio", "--addr", "localhost"]).is_err());
    }
}
