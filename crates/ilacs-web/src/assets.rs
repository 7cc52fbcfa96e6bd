//! Static assets embedded in the binary: GOV.UK Frontend (vendored by
//! `scripts/vendor-govuk-frontend.sh`) and ilacs's own few additions.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "govuk-frontend.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/govuk-frontend/govuk-frontend.min.css"),
    ),
    (
        "govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/govuk-frontend/govuk-frontend.min.js"),
    ),
    (
        "images/favicon.ico",
        "image/x-icon",
        include_bytes!("../assets/govuk-frontend/images/favicon.ico"),
    ),
    (
        "images/favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/govuk-frontend/images/favicon.svg"),
    ),
    (
        "ilacs.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/ilacs.css"),
    ),
    (
        "ilacs.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/ilacs.js"),
    ),
    (
        "ilacs-body.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/ilacs-body.js"),
    ),
];

pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

pub(crate) async fn favicon() -> Response {
    asset(Path("images/favicon.ico".to_string())).await
}
