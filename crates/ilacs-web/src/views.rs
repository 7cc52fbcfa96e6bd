//! View models: what templates are given. Built from domain types; no rules here.

use crate::auth::csrf::CsrfToken;
use crate::auth::session::Viewer;
use crate::error::PageError;
use axum::response::Html;
use ilacs_domain::access::{authorize, Action, Record, Scope, SefStage};
use ilacs_domain::framework::Catalogue;
use ilacs_domain::inspection::{Activity, Judgement};
use ilacs_render::Renderer;
use serde_json::{json, Map, Value};

/// Percent-encodes a query-string value.
pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The parts of every page: who is signed in, the navigation, the form token.
pub(crate) struct PageFrame<'a> {
    pub(crate) viewer: &'a Viewer,
    pub(crate) csrf: &'a CsrfToken,
    pub(crate) current_nav: &'static str,
}

impl PageFrame<'_> {
    fn base(&self, title: &str) -> Map<String, Value> {
        let mut nav = vec![
            json!({"href": "/", "text": "Home", "current": self.current_nav == "home"}),
            json!({"href": "/local-authorities", "text": "Local authorities", "current": self.current_nav == "local-authorities"}),
        ];
        let user = self.viewer.signed_in().map(|s| {
            // Links to the user's own LA's restricted areas, where their role reaches.
            if let Scope::La { la, region } = s.principal.scope() {
                let may = |record: Record| authorize(Some(&s.principal), Action::Read, &record).is_ok();
                let audits = Record::CaseAudit { la, region, notification_week: false };
                if may(audits) {
                    nav.push(json!({"href": format!("/local-authorities/{la}/audits"), "text": "Case audits", "current": self.current_nav == "audits"}));
                } else if may(Record::LearningAction { la, region, notification_week: false }) {
                    // Staff who may not see the audits still see what they changed.
                    nav.push(json!({"href": format!("/local-authorities/{la}/audits/learning"), "text": "Learning actions", "current": self.current_nav == "audits"}));
                }
                if may(Record::ChildLevel { la, region, activity_open: false }) {
                    nav.push(json!({"href": format!("/local-authorities/{la}/annex-a"), "text": "Annex A", "current": self.current_nav == "annex-a"}));
                }
                let sef = Record::SelfEvaluation { la, region, stage: SefStage::Draft };
                if may(sef) {
                    nav.push(json!({"href": format!("/local-authorities/{la}/self-evaluation"), "text": "Self-evaluation", "current": self.current_nav == "self-evaluation"}));
                }
                let letter = Record::AemLetter { la, region, issued: true };
                if may(letter) {
                    nav.push(json!({"href": format!("/local-authorities/{la}/annual-engagement"), "text": "Annual engagement", "current": self.current_nav == "annual-engagement"}));
                }
                if may(Record::LaUsers { la }) {
                    nav.push(json!({"href": format!("/local-authorities/{la}/users"), "text": "Users", "current": self.current_nav == "users"}));
                }
            }
            // Ofsted's regional teams plan their region's meetings.
            if let Scope::Region(region) = s.principal.scope() {
                nav.push(json!({"href": format!("/regions/{region}/annual-engagement"), "text": "Annual engagement", "current": self.current_nav == "annual-engagement"}));
            }
            if authorize(Some(&s.principal), Action::Read, &Record::AemConsistency).is_ok() {
                nav.push(json!({"href": "/annual-engagement/consistency", "text": "AEM consistency", "current": self.current_nav == "aem-consistency"}));
            }
            json!({
                "username": s.user.username.as_str(),
                "display_name": s.user.display_name,
                "role_label": s.user.role.label(),
                "scope_label": s.user.scope_name,
            })
        });
        let mut base = Map::new();
        base.insert("page_title".into(), json!(title));
        base.insert("errors".into(), json!([]));
        base.insert("nav".into(), Value::Array(nav));
        base.insert("user".into(), user.unwrap_or(Value::Null));
        base.insert("csrf_token".into(), json!(self.csrf.0));
        base.insert("current_nav".into(), json!(self.current_nav));
        base
    }

    /// Renders a page; `extra` (a JSON object) adds to and overrides the frame.
    pub(crate) fn render(
        &self,
        template: &str,
        title: &str,
        extra: Value,
    ) -> Result<Html<String>, PageError> {
        let mut context = self.base(title);
        if let Value::Object(extra) = extra {
            context.extend(extra);
        }
        Ok(Html(
            Renderer::global().render(template, Value::Object(context))?,
        ))
    }
}

/// An error page, rendered without knowing who is asking.
pub(crate) fn error_page(title: &str, paragraphs: &[String]) -> String {
    let context = json!({
        "page_title": title,
        "heading": title,
        "paragraphs": paragraphs,
        "errors": [],
        "nav": [
            {"href": "/", "text": "Home", "current": false},
            {"href": "/local-authorities", "text": "Local authorities", "current": false},
        ],
        "user": null,
        "csrf_token": "",
        "current_nav": "",
        "show_sign_in": false,
        "next": "",
    });
    Renderer::global()
        .render("error.html", context)
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "the error page itself failed to render");
            format!("<!DOCTYPE html><title>{title}</title><h1>{title}</h1>")
        })
}

/// One form error, linked from the error summary to its field.
pub(crate) fn field_error(field: &str, message: impl Into<String>) -> Value {
    json!({"field": field, "message": message.into()})
}

/// An activity for templates: dates in ISO (templates format them), grades as keys.
pub(crate) fn activity(catalogue: &Catalogue, a: &Activity) -> Value {
    let version = catalogue.version_on(a.start_date);
    let judgements: Vec<Value> = Judgement::ALL
        .iter()
        .filter_map(|j| {
            a.judgements.get(*j).map(|g| {
                let title = version
                    .and_then(|v| v.title_of(*j))
                    .unwrap_or(j.short_title());
                json!({"key": j.key(), "title": title, "grade": g.key()})
            })
        })
        .collect();
    json!({
        "kind": a.kind.key(),
        "start_date": a.start_date.to_string(),
        "publication_date": a.publication_date.map(|d| d.to_string()),
        "theme": a.theme,
        "overall": a.judgements.get(Judgement::OverallEffectiveness).map(|g| g.key()),
        "judgements": judgements,
    })
}
