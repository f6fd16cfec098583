use clap::Parser;
use server::cli::{run, runtime};
use server::config::Config;
use tracing_subscriber::EnvFilter;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let served = runtime().map_err(server::ServerError::from).and_then(|rt| rt.block_on(run(Config::parse())));
    if let Err(e) = served {
        eprintln!("directline: {e}");
        std::process::exit(1);
    }
}
