//! Who is asking: the session cookie resolved to a user and their permissions.

use super::cookies;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ilacs_domain::access::{Principal, Role, Scope};
use ilacs_store::UserRecord;
use sha2::{Digest, Sha256};

/// A session lasts a working day; signing in again starts a new one.
pub(crate) const SESSION_SECONDS: i64 = 10 * 60 * 60;

#[derive(Clone, Debug)]
pub(crate) struct SignedIn {
    pub(crate) user: UserRecord,
    pub(crate) principal: Principal,
    session_hash: String,
}

/// The person making a request, signed in or not.
#[derive(Clone, Debug, Default)]
pub(crate) struct Viewer(Option<SignedIn>);

impl Viewer {
    pub(crate) fn signed_in(&self) -> Option<&SignedIn> {
        self.0.as_ref()
    }
    pub(crate) fn principal(&self) -> Option<&Principal> {
        self.0.as_ref().map(|s| &s.principal)
    }
    pub(crate) fn session_hash(&self) -> Option<&str> {
        self.0.as_ref().map(|s| s.session_hash.as_str())
    }
    /// Who a change is recorded against: the signed-in user, or a refusal for anyone
    /// else (permission checks have already turned anonymous visitors away).
    pub(crate) fn actor(&self) -> Result<&ilacs_domain::user::Username, crate::error::PageError> {
        self.0
            .as_ref()
            .map(|s| &s.user.username)
            .ok_or(crate::error::PageError::Forbidden)
    }
}

/// Sessions are stored by the hash of their token, so a leaked database does not
/// hand out live sessions.
pub(crate) fn token_hash(token: &str) -> String {
    cookies::hex(&Sha256::digest(token.as_bytes()))
}

/// The principal for a stored user, or `None` if the stored role and scope disagree.
pub(crate) fn principal_for(user: &UserRecord) -> Option<Principal> {
    let scope = match (user.role, &user.la, &user.region) {
        (role, Some(la), Some(region)) if role.is_la_staff() => Scope::La {
            la: la.clone(),
            region: region.clone(),
        },
        (Role::OfstedRegional, None, Some(region)) => Scope::Region(region.clone()),
        _ => Scope::National,
    };
    Principal::new(user.id, user.username.as_str(), user.role, scope).ok()
}

/// A signed-in viewer for a stored user, or signed out if the stored role and scope
/// disagree (which the store should never allow).
fn viewer_for(user: UserRecord, session_hash: String) -> Viewer {
    match principal_for(&user) {
        Some(principal) => Viewer(Some(SignedIn {
            user,
            principal,
            session_hash,
        })),
        None => {
            tracing::warn!(user = %user.username, "stored role and scope disagree; treated as signed out");
            Viewer::default()
        }
    }
}

async fn cookie_viewer(state: &AppState, cookie: Option<String>) -> Viewer {
    let Some(token) = cookie else {
        return Viewer::default();
    };
    let hash = token_hash(&token);
    match state
        .store
        .session_user(&hash, chrono::Utc::now().timestamp())
        .await
    {
        Ok(Some(user)) => viewer_for(user, hash),
        Ok(None) => Viewer::default(),
        Err(e) => {
            tracing::error!(error = %e, "could not read the session");
            Viewer::default()
        }
    }
}

/// Pages: the session cookie says who is asking.
pub(crate) async fn load(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let cookie = cookies::get(request.headers(), cookies::SESSION);
    let viewer = cookie_viewer(&state, cookie).await;
    request.extensions_mut().insert(viewer);
    next.run(request).await
}

/// The API: an `Authorization: Bearer` token says who is asking. A browser's session
/// cookie also counts, but only for reading: a cookie alone never changes anything
/// through the API, so the API needs no CSRF tokens.
pub(crate) async fn load_api(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let viewer = match bearer {
        Some(token) => {
            let hash = token_hash(&token);
            match state
                .store
                .api_token_user(&hash, chrono::Utc::now().timestamp())
                .await
            {
                Ok(Some(user)) => viewer_for(user, String::new()),
                Ok(None) => {
                    return ApiError::InvalidToken.into_response();
                }
                Err(e) => return ApiError::from(e).into_response(),
            }
        }
        None if request.method().is_safe() => {
            let cookie = cookies::get(request.headers(), cookies::SESSION);
            cookie_viewer(&state, cookie).await
        }
        None => Viewer::default(),
    };
    request.extensions_mut().insert(viewer);
    next.run(request).await
}
