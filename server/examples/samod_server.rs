//! A sync server on samod 0.16 (the Rust automerge-repo), for
//! `scripts/bench-reference.sh` only: samod's own axum acceptor and its
//! filesystem storage (the layout of automerge-repo's NodeFSStorageAdapter),
//! set up as `@automerge/automerge-repo-sync-server` sets up its repo: it
//! syncs the documents a peer asks for by id and announces none.
//!
//! `PORT=… DATA_DIR=… cargo run --profile server -p server --example samod_server`
//! prints "Listening on port N" once it accepts connections on loopback.
//! It checks nothing and does not fsync: samod's storage writes files with
//! `tokio::fs::write`.

#![allow(clippy::expect_used)]

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;
use axum::routing::get;
use samod::storage::TokioFilesystemStorage;
use samod::{AcceptorHandle, Repo, ShareConfig};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3030);
    let dir = std::env::var("DATA_DIR").unwrap_or_else(|_| ".amrg".into());
    std::fs::create_dir_all(&dir).expect("the data directory");
    let repo = Repo::build_tokio()
        .with_storage(TokioFilesystemStorage::new(&dir))
        .with_share_policy(ShareConfig::read_write().with_announce(false))
        .load()
        .await;
    let url = samod::Url::parse(&format!("ws://127.0.0.1:{port}/")).expect("a URL");
    let acceptor = repo.make_acceptor(url).expect("a running repo");
    // The bench's clients ask for this server's path (/api/sync); the node
    // servers take any.
    let app = axum::Router::new().route("/", get(accept)).route("/api/sync", get(accept)).with_state(acceptor);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("the port");
    println!("Listening on port {port}");
    axum::serve(listener, app).await.expect("serving");
}

async fn accept(socket: WebSocketUpgrade, State(acceptor): State<AcceptorHandle>) -> Response {
    socket.on_upgrade(move |socket| async move {
        if let Err(stopped) = acceptor.accept_axum(socket, None) {
            eprintln!("samod stopped: {stopped:?}");
        }
    })
}
