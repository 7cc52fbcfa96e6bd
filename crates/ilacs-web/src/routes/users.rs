//! An LA's user accounts: a restricted page. Every read is written to the access log.

use super::authority;
use crate::access_log::log_read;
use crate::auth::csrf::CsrfToken;
use crate::auth::password;
use crate::auth::session::Viewer;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{field_error, PageFrame};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ilacs_domain::access::{authorize, Action, Record, Role};
use ilacs_domain::authority::LocalAuthority;
use ilacs_domain::user::{NewPassword, Username};
use ilacs_store::{NewUser, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};

/// The roles an LA's administrator may give: the LA's own staff roles.
const LA_ROLES: [Role; 5] = [
    Role::LaAdmin,
    Role::LaQualityPerformance,
    Role::LaAuditor,
    Role::LaViewer,
    Role::AlliancePeer,
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CreatedQuery {
    created: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AddUserForm {
    username: String,
    display_name: String,
    role: String,
    password: String,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    csrf: &CsrfToken,
    la: &LocalAuthority,
    form: Value,
    errors: Vec<Value>,
    created: Option<String>,
) -> Result<axum::response::Html<String>, PageError> {
    // A restricted read: logged before anything is shown, and not shown if the log fails.
    log_read(
        state,
        viewer,
        &Record::LaUsers { la: &la.la_code },
        &format!("{}/users", la.la_code),
        Some(&la.la_code),
    )
    .await?;
    let users: Vec<Value> = state
        .store
        .users(Some(&la.la_code))
        .await?
        .into_iter()
        .map(|u| {
            let created = chrono::DateTime::from_timestamp(u.created_at, 0)
                .map(|t| t.date_naive().to_string())
                .unwrap_or_default();
            json!({
                "username": u.username.as_str(),
                "display_name": u.display_name,
                "role_label": u.role.label(),
                "disabled": u.disabled,
                "created": created,
            })
        })
        .collect();
    let roles: Vec<Value> = LA_ROLES
        .iter()
        .map(|r| json!({"key": r.key(), "label": r.label()}))
        .collect();
    PageFrame {
        viewer,
        csrf,
        current_nav: "users",
    }
    .render(
        "la_users.html",
        &format!("Users – {}", la.name),
        json!({
            "la": {"code": la.gss_code.as_str(), "name": la.name},
            "users": users,
            "roles": roles,
            "form": form,
            "errors": errors,
            "created": created,
        }),
    )
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Query(query): Query<CreatedQuery>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    authorize(
        viewer.principal(),
        Action::Read,
        &Record::LaUsers { la: &la.la_code },
    )
    .map_err(|d| PageError::denied(d, &format!("/local-authorities/{code}/users")))?;
    // Only name a new user who really belongs to this LA.
    let created = match Username::parse(&query.created) {
        Ok(name) => state
            .store
            .user_by_username(&name)
            .await?
            .filter(|u| u.la.as_ref() == Some(&la.la_code))
            .map(|u| u.username.to_string()),
        Err(_) => None,
    };
    let empty = json!({"username": "", "display_name": "", "role": ""});
    Ok(render(&state, &viewer, &csrf, &la, empty, vec![], created)
        .await?
        .into_response())
}

pub(crate) async fn add(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Extension(csrf): Extension<CsrfToken>,
    Path(code): Path<String>,
    Form(form): Form<AddUserForm>,
) -> Result<Response, PageError> {
    let la = authority(&state, &code).await?;
    authorize(
        viewer.principal(),
        Action::Write,
        &Record::LaUsers { la: &la.la_code },
    )
    .map_err(|d| PageError::denied(d, &format!("/local-authorities/{code}/users")))?;
    let actor = viewer
        .signed_in()
        .map(|s| s.user.username.to_string())
        .unwrap_or_default();

    let mut errors = Vec::new();
    let username = Username::parse(&form.username)
        .map_err(|e| errors.push(field_error("username", e.to_string())))
        .ok();
    let display_name = form.display_name.trim();
    if display_name.is_empty() {
        errors.push(field_error("display_name", "Enter the user’s full name"));
    } else if display_name.chars().count() > 100 {
        errors.push(field_error(
            "display_name",
            "Full name must be 100 characters or fewer",
        ));
    }
    let role = LA_ROLES.iter().copied().find(|r| r.key() == form.role);
    if role.is_none() {
        errors.push(field_error("role", "Select the user’s role"));
    }
    let password = NewPassword::parse(&form.password)
        .map_err(|e| errors.push(field_error("password", e.to_string())))
        .ok();

    if let (Some(username), Some(role), Some(password), true) =
        (username, role, password, errors.is_empty())
    {
        let hash = password::hash(&password).map_err(|e| PageError::Internal(e.to_string()))?;
        let created = state
            .store
            .create_user(&NewUser {
                username: username.clone(),
                display_name: display_name.to_string(),
                password_hash: hash,
                role,
                la: Some(la.la_code.clone()),
                region: None,
                actor,
            })
            .await;
        match created {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/local-authorities/{}/users?created={}",
                    la.gss_code, username
                ))
                .into_response())
            }
            Err(StoreError::Duplicate(_)) => errors.push(field_error(
                "username",
                "A user with this sign-in name already exists. Choose another name.",
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let form_values =
        json!({"username": form.username, "display_name": form.display_name, "role": form.role});
    let page = render(&state, &viewer, &csrf, &la, form_values, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
