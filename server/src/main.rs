//! The `cartobarrio` binary: parses arguments and hands over to the library.

use clap::Parser;
use server::config::{Cli, Command};

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let result = runtime.block_on(run());
    // Work still running on a blocking thread (a merge, a check of a large geometry) must not
    // keep a server that was told to stop alive: SQLite rolls back whatever it left unfinished.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::init_tracing(&cli.server.log, cli.server.log_format);
    match cli.command {
        None | Some(Command::Serve) => server::serve(cli.server).await,
        Some(Command::Import(args)) => {
            let summary = server::import_command(&cli.server, &args).await?;
            print!("{}", server::describe_import(&summary));
            Ok(())
        }
        Some(Command::ImportIndicators(args)) => {
            let reporte = server::import_indicators_command(&cli.server, &args).await?;
            print!("{}", server::indicadores::report::reporte_es(&reporte));
            anyhow::ensure!(
                reporte.aceptadas > 0,
                "No se pudo importar ninguna fila del archivo; no se guardó nada. / No row could be imported."
            );
            Ok(())
        }
        Some(Command::CreateAdmin { username, display_name }) => {
            let password = match std::env::var("CARTOBARRIO_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("Contraseña para {username} (una línea; al menos 10 caracteres):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let user = server::create_admin(&cli.server, &username, display_name.as_deref(), password).await?;
            println!("Cuenta de administración creada: {} (id {})", user.username, user.id);
            Ok(())
        }
        Some(Command::DeriveSeed { input, output, report, name_property, comuna_property }) => {
            let options = server::import::DissolveOptions { name_property, comuna_property, ..Default::default() };
            let r = server::derive_seed(&input, &output, report.as_deref(), &options)?;
            println!(
                "{} features read, {} barrios written, {} pieces repaired, {} skipped",
                r.features_read,
                r.barrios,
                r.repaired.len(),
                r.skipped.len()
            );
            for note in &r.notes {
                println!("note: {note}");
            }
            Ok(())
        }
    }
}
