use crate::cli::ServeArgs;
use anyhow::Context;
use ilacs_store::Store;
use ilacs_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn run(serve: &ServeArgs) -> anyhow::Result<()> {
    let store = ilacs_store::open(&serve.database.database)
        .await
        .with_context(|| format!("could not open the database {}", serve.database.database))?;
    serve_with(serve, store).await
}

pub async fn serve_with(serve: &ServeArgs, store: Arc<dyn Store>) -> anyhow::Result<()> {
    let config = WebConfig {
        secure_cookies: serve.secure_cookies,
        today: None,
    };
    let state = AppState::new(store, config).await?;
    let listener = tokio::net::TcpListener::bind(serve.listen)
        .await
        .with_context(|| format!("could not listen on {}", serve.listen))?;
    println!("ilacs is ready at http://{}/", listener.local_addr()?);
    axum::serve(
        listener,
        ilacs_web::app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
        println!("Stopping.");
    })
    .await?;
    Ok(())
}
