use clap::Parser;
use server::cli::run;
use server::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    if let Err(e) = run(Config::parse()).await {
        eprintln!("directline: {e}");
        std::process::exit(1);
    }
}
