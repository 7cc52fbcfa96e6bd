//! Signing in and out.

use crate::auth::cookies;
use crate::auth::csrf::CsrfToken;
use crate::auth::password;
use crate::auth::session::{token_hash, Viewer, SESSION_SECONDS};
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{field_error, PageFrame};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::user::Username;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

#[derive(Deserialize, Default)]
pub(crate) struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SignInForm {
    username: String,
    password: String,
    next: String,
}

/// Only paths on this service: never `//host` or `https://...` (an open redirect).
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

fn page(
    viewer: &Viewer,
    csrf: &CsrfToken,
    username: &str,
    next: &str,
    errors: Vec<serde_json::Value>,
) -> Result<axum::response::Html<String>, PageError> {
    PageFrame {
        viewer,
        csrf,
        current_nav: "sign-in",
    }
    .render(
        "sign_in.html",
        "Sign in",
        json!({"username": username, "next": safe_next(next), "errors": errors}),
    )
}

pub(crate) async fn form(
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    if viewer.signed_in().is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    Ok(page(&viewer, &csrf, "", &query.next, vec![])?.into_response())
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let mut errors = Vec::new();
    if form.username.trim().is_empty() {
        errors.push(field_error("username", "Enter your sign-in name"));
    }
    if form.password.is_empty() {
        errors.push(field_error("password", "Enter your password"));
    }
    let refuse = |status: StatusCode, errors| -> Result<Response, PageError> {
        Ok((
            status,
            page(&viewer, &csrf, form.username.trim(), &form.next, errors)?,
        )
            .into_response())
    };
    if !errors.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors);
    }
    let name_key = form.username.trim().to_ascii_lowercase();
    let address_key = address.ip().to_string();
    if let Err(minutes) = state.limiter.check(&name_key, &address_key) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            vec![field_error(
                "username",
                format!(
                    "Too many failed attempts to sign in. Wait {minutes} minutes, then try again."
                ),
            )],
        );
    }

    let user = match Username::parse(&form.username) {
        Ok(name) => state.store.user_by_username(&name).await?,
        Err(_) => None,
    };
    let password_ok = match &user {
        Some(u) if !u.disabled => password::verify(&u.password_hash, &form.password),
        _ => {
            password::verify_nobody(&form.password);
            false
        }
    };
    let Some(user) = user.filter(|_| password_ok) else {
        state.limiter.record_failure(&name_key, &address_key);
        tracing::info!(username = %name_key, %address, "failed sign-in");
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![field_error(
                "username",
                "The sign-in name or password is not right",
            )],
        );
    };
    state.limiter.record_success(&name_key);

    let token = cookies::random_token();
    let now = chrono::Utc::now().timestamp();
    state
        .store
        .create_session(&token_hash(&token), user.id, now, now + SESSION_SECONDS)
        .await?;
    tracing::info!(username = %user.username, "signed in");
    let mut response = Redirect::to(safe_next(&form.next)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            cookies::SESSION,
            &token,
            Some(SESSION_SECONDS),
            "Lax",
            state.config.secure_cookies,
        ),
    );
    Ok(response)
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, PageError> {
    if let Some(hash) = viewer.session_hash() {
        state.store.delete_session(hash).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(cookies::SESSION, state.config.secure_cookies),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            safe_next("/local-authorities/E09000002"),
            "/local-authorities/E09000002"
        );
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
