//! Who is asking: the session cookie resolved to a user and their permissions.

use super::cookies;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
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

pub(crate) async fn load(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut viewer = Viewer::default();
    if let Some(token) = cookies::get(request.headers(), cookies::SESSION) {
        let hash = token_hash(&token);
        let now = chrono::Utc::now().timestamp();
        match state.store.session_user(&hash, now).await {
            Ok(Some(user)) => match principal_for(&user) {
                Some(principal) => {
                    viewer = Viewer(Some(SignedIn {
                        user,
                        principal,
                        session_hash: hash,
                    }))
                }
                None => {
                    tracing::warn!(user = %user.username, "stored role and scope disagree; treated as signed out")
                }
            },
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "could not read the session"),
        }
    }
    request.extensions_mut().insert(viewer);
    next.run(request).await
}
