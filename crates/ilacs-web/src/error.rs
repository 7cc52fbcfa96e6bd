//! The web layer's error policy. A user sees what went wrong and what to do, never a
//! stack trace; faults are logged with their detail. Pages get GOV.UK error pages, the
//! API gets JSON `{"error": "..."}`.

use crate::views;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use ilacs_domain::access::Denied;
use ilacs_store::StoreError;
use serde_json::json;

#[derive(Debug)]
pub(crate) enum PageError {
    NotFound,
    /// Anonymous visitors are sent to sign in, then back to `next`.
    SignInRequired {
        next: String,
    },
    Forbidden,
    FormExpired,
    BadRequest(String),
    /// An upload over the size limit, refused before it is read.
    TooLarge(String),
    Internal(String),
}

impl PageError {
    pub(crate) fn denied(denied: Denied, next: &str) -> PageError {
        if denied.signed_in {
            PageError::Forbidden
        } else {
            PageError::SignInRequired {
                next: next.to_string(),
            }
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl From<ilacs_render::RenderError> for PageError {
    fn from(e: ilacs_render::RenderError) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, paragraphs): (StatusCode, &str, Vec<String>) = match self {
            PageError::SignInRequired { next } => {
                return Redirect::to(&format!("/sign-in?next={}", views::url_encode(&next))).into_response()
            }
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                vec![
                    "If you typed the web address, check it is correct.".into(),
                    "If you pasted the web address, check you copied the entire address.".into(),
                ],
            ),
            PageError::Forbidden => (
                StatusCode::FORBIDDEN,
                "You do not have permission to see this page",
                vec!["Your role does not give access to this page. If you need it, ask your local authority’s administrator or the service’s system administrator.".into()],
            ),
            PageError::FormExpired => (
                StatusCode::FORBIDDEN,
                "The form has expired",
                vec!["The form was not sent from this service, or it is out of date (for example, you signed in or out in another tab). Nothing has been saved. Go back, reload the page and try again.".into()],
            ),
            PageError::BadRequest(message) => (StatusCode::BAD_REQUEST, "There is a problem with your request", vec![message]),
            PageError::TooLarge(message) => (StatusCode::PAYLOAD_TOO_LARGE, "The file is too large", vec![message, "Nothing has been changed.".into()]),
            PageError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    vec!["Try again later. Nothing you sent has been half-saved: each change is saved whole or not at all.".into()],
                )
            }
        };
        let body = views::error_page(title, &paragraphs);
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

#[derive(Debug)]
pub(crate) enum ApiError {
    BadRequest(String),
    NotFound(String),
    Unauthorized,
    /// A bearer token that matches no live token.
    InvalidToken,
    Forbidden,
    /// The request's content is wrong: each problem with its field.
    Unprocessable(Vec<ilacs_domain::audit::FieldError>),
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> Self {
        if d.signed_in {
            ApiError::Forbidden
        } else {
            ApiError::Unauthorized
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "sign in, or send an API token as 'Authorization: Bearer TOKEN'".to_string(),
            ),
            ApiError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "the API token is not valid: it may have expired or been revoked".to_string(),
            ),
            ApiError::Unprocessable(fields) => {
                let body = json!({"error": "the audit has problems: see fields", "fields": fields});
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            }
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "you do not have permission to use this".to_string(),
            ),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error in the API");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error: try again later".to_string(),
                )
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}
