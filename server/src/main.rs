//! The `cartobarrio` binary: parses arguments and hands over to the library.

use clap::Parser;
use server::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::init_tracing(&cli.server.log, cli.server.log_format);
    match cli.command {
        None | Some(Command::Serve) => server::serve(cli.server).await,
        Some(Command::Import(args)) => {
            let summary = server::import_command(&cli.server, &args).await?;
            print!("{}", server::describe_import(&summary));
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
