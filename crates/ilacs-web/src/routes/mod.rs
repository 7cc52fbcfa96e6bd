//! The routes, by area.

mod aem;
mod annex_a;
mod api;
mod audits;
mod home;
mod indicators;
mod local_authorities;
mod posted;
mod self_evaluation;
mod sign_in;
mod users;

pub(crate) use annex_a::MAX_UPLOAD_BYTES;

use crate::assets;
use crate::auth::{csrf, session};
use crate::error::{ApiError, PageError};
use crate::state::AppState;
use axum::http::{header, HeaderValue};
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ilacs_domain::authority::{AuthorityRef, LocalAuthority};

pub(crate) fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(home::home))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", axum::routing::post(sign_in::sign_out))
        .route("/local-authorities", get(local_authorities::list))
        .route("/local-authorities/{code}", get(local_authorities::show))
        .route(
            "/local-authorities/{code}/users",
            get(users::list).post(users::add),
        )
        .route(
            "/local-authorities/{code}/audits",
            get(audits::list).post(audits::create),
        )
        .route(
            "/local-authorities/{code}/audits/new",
            get(audits::new_form),
        )
        .route(
            "/local-authorities/{code}/audits/moderation",
            get(audits::moderation),
        )
        .route(
            "/local-authorities/{code}/audits/learning",
            get(audits::learning_list).post(audits::learning_create),
        )
        .route(
            "/local-authorities/{code}/audits/learning/new",
            get(audits::learning_new_form),
        )
        .route(
            "/local-authorities/{code}/audits/learning/{id}",
            get(audits::learning_show).post(audits::learning_update),
        )
        .route(
            "/local-authorities/{code}/audits/learning/{id}/edit",
            get(audits::learning_edit_form),
        )
        .route(
            "/local-authorities/{code}/audits/programme",
            get(audits::programme_page).post(audits::confirm_programme),
        )
        .route(
            "/local-authorities/{code}/audits/programme/cases",
            get(audits::cases_page).post(audits::load_cases),
        )
        .route(
            "/local-authorities/{code}/audits/programme/auditors",
            get(audits::auditors_page).post(audits::save_auditors),
        )
        .route(
            "/local-authorities/{code}/audits/summary",
            get(audits::summary),
        )
        .route(
            "/local-authorities/{code}/audits.xlsx",
            get(audits::download),
        )
        .route(
            "/local-authorities/{code}/audits/{id}",
            get(audits::show).post(audits::update),
        )
        .route(
            "/local-authorities/{code}/audits/{id}/edit",
            get(audits::edit_form),
        )
        .route(
            "/local-authorities/{code}/audits/{id}/moderate",
            get(audits::moderate_form).post(audits::moderate),
        )
        .route(
            "/local-authorities/{code}/self-evaluation",
            get(self_evaluation::overview).post(self_evaluation::start),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}",
            get(self_evaluation::show),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/plan",
            get(self_evaluation::plan_form).post(self_evaluation::add_action),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/plan/{id}",
            get(self_evaluation::action_form).post(self_evaluation::change_action),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/plan/{id}/remove",
            axum::routing::post(self_evaluation::remove_action),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/findings",
            get(self_evaluation::findings_form).post(self_evaluation::add_finding),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/findings/{id}",
            get(self_evaluation::finding_form).post(self_evaluation::change_finding),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/findings/{id}/remove",
            axum::routing::post(self_evaluation::remove_finding),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/review",
            get(self_evaluation::review_page),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/download/{format}",
            get(self_evaluation::download),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/compare",
            get(self_evaluation::compare_page),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/stage",
            axum::routing::post(self_evaluation::advance),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/sections",
            get(self_evaluation::sections_page).post(self_evaluation::arrange_sections),
        )
        .route(
            "/local-authorities/{code}/self-evaluation/{year}/{version}/sections/{key}",
            get(self_evaluation::answer_form).post(self_evaluation::save_answers),
        )
        .route("/regions/{region}/annual-engagement", get(aem::region_plan))
        .route("/annual-engagement/consistency", get(aem::consistency))
        .route(
            "/local-authorities/{code}/annual-engagement",
            get(aem::la_meetings).post(aem::plan),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}",
            get(aem::show),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/record",
            get(aem::record_form).post(aem::save_record),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/agenda",
            get(aem::agenda_form).post(aem::save_agenda),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/outcomes",
            get(aem::outcomes_form).post(aem::save_outcomes),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/letter",
            get(aem::letter_page).post(aem::save_letter),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/letter/issue",
            axum::routing::post(aem::issue),
        )
        .route(
            "/local-authorities/{code}/annual-engagement/{id}/letter.pdf",
            get(aem::download),
        )
        .route("/local-authorities/{code}/annex-a", get(annex_a::overview))
        .route(
            "/local-authorities/{code}/annex-a/uploads",
            axum::routing::post(annex_a::upload).layer(axum::extract::DefaultBodyLimit::max(
                annex_a::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/local-authorities/{code}/annex-a/uploads/{id}",
            get(annex_a::report),
        )
        .route(
            "/local-authorities/{code}/annex-a/indicators",
            get(annex_a::indicators),
        )
        .route(
            "/local-authorities/{code}/annex-a/indicators/{id}",
            get(annex_a::indicator),
        )
        .route(
            "/local-authorities/{code}/annex-a/clean.xlsx",
            get(annex_a::clean_workbook),
        )
        .route(
            "/local-authorities/{code}/annex-a/degraded.xlsx",
            get(annex_a::degraded_workbook),
        )
        .fallback(not_found)
        // Layers run bottom-up: the session is known before the CSRF check binds to it.
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), session::load));
    let api = Router::new()
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/local-authorities", get(api::local_authorities))
        .route(
            "/api/v1/local-authorities/{code}",
            get(api::local_authority),
        )
        .route(
            "/api/v1/local-authorities/{code}/indicators",
            get(indicators::api_indicators),
        )
        .route(
            "/api/v1/local-authorities/{code}/aem-letters",
            get(aem::api_letters),
        )
        .route(
            "/api/v1/local-authorities/{code}/audits",
            get(audits::api_list).post(audits::api_create),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::load_api,
        ));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/assets/{*path}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .merge(api)
        .merge(pages)
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

/// The LA a page's URL names, by its three-digit or any area code it has had.
pub(crate) async fn authority(state: &AppState, code: &str) -> Result<LocalAuthority, PageError> {
    let reference = AuthorityRef::parse(code).map_err(|_| PageError::NotFound)?;
    state
        .store
        .local_authority(&reference)
        .await?
        .ok_or(PageError::NotFound)
}

/// The LA an API path names; an unknown code is the API's 404.
pub(crate) async fn api_authority(
    state: &AppState,
    code: &str,
) -> Result<LocalAuthority, ApiError> {
    let reference = AuthorityRef::parse(code)
        .map_err(|_| ApiError::BadRequest(format!("'{code}' is not an LA code")))?;
    state
        .store
        .local_authority(&reference)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no local authority has the code '{code}'")))
}

async fn not_found() -> PageError {
    PageError::NotFound
}

/// Headers on every response: no framing, no sniffing, scripts and styles only from
/// this service, and no caching of pages that may hold restricted data.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
