//! `TestApp`: the application with the real reference data, a few users, a cookie jar
//! and a fixed "today" (23 November 2026).

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use ilacs_domain::access::Role;
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::user::{NewPassword, Username};
use ilacs_store::{NewUser, ReferenceData, Store};
use ilacs_web::{AppState, WebConfig};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";

/// Users every test app has: (name, role, LA, region).
const USERS: &[(&str, Role, Option<&str>, Option<&str>)] = &[
    ("dcs.barking", Role::LaAdmin, Some("301"), None),
    ("viewer.barking", Role::LaViewer, Some("301"), None),
    ("qp.barking", Role::LaQualityPerformance, Some("301"), None),
    ("teamlead.barking", Role::LaAuditor, Some("301"), None),
    ("dcs.devon", Role::LaAdmin, Some("878"), None),
    ("hmi.london", Role::OfstedRegional, None, Some("london")),
    (
        "hmi.southwest",
        Role::OfstedRegional,
        None,
        Some("south-west"),
    ),
    ("ofsted.national", Role::OfstedNational, None, None),
    ("admin", Role::SystemAdmin, None, None),
];

fn reference_data() -> &'static ReferenceData {
    static DATA: OnceLock<ReferenceData> = OnceLock::new();
    DATA.get_or_init(|| ilacs_import::bundled::reference().unwrap())
}

fn published_statistics() -> &'static ilacs_domain::indicators::PublishedStatistics {
    static DATA: OnceLock<ilacs_domain::indicators::PublishedStatistics> = OnceLock::new();
    DATA.get_or_init(|| {
        ilacs_import::bundled::published_statistics(&reference_data().local_authorities).unwrap()
    })
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| ilacs_web::password::hash(&NewPassword::parse(PASSWORD).unwrap()).unwrap())
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (lossy), and as sent, for downloads.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the page's hidden `csrf_token` field.
    pub fn csrf_token(&self) -> String {
        let marker = r#"name="csrf_token" value=""#;
        let start = self
            .body
            .find(marker)
            .expect("the page has a form with a CSRF token")
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The text inside the page's `<h1>`.
    pub fn h1(&self) -> String {
        let start = self.body.find("<h1").expect("a heading");
        let open_end = self.body[start..].find('>').unwrap() + start + 1;
        let end = self.body[open_end..].find("</h1>").unwrap() + open_end;
        self.body[open_end..end]
            .split('<')
            .next()
            .unwrap()
            .trim()
            .to_string()
    }
}

pub struct TestApp {
    router: Router,
    pub store: Arc<dyn Store>,
    cookies: BTreeMap<String, String>,
    address: SocketAddr,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("web.db").display());
        let store = ilacs_store::open(&url).await.unwrap();
        store
            .import_reference_data(reference_data(), "test", "test")
            .await
            .unwrap();
        for (name, role, la, region) in USERS {
            store
                .create_user(&NewUser {
                    username: Username::parse(name).unwrap(),
                    display_name: format!("Test {name}"),
                    password_hash: password_hash().to_string(),
                    role: *role,
                    la: la.map(|c| LaCode::parse(c).unwrap()),
                    region: region.map(|r| RegionId::parse(r).unwrap()),
                    actor: "test".into(),
                })
                .await
                .unwrap();
        }
        let config = WebConfig {
            secure_cookies: true,
            today: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        };
        let state = AppState::new(store.clone(), config).await.unwrap();
        TestApp {
            router: ilacs_web::app(state),
            store,
            cookies: BTreeMap::new(),
            address: "192.0.2.10:50000".parse().unwrap(),
            _dir: dir,
        }
    }

    /// Requests from another address (for rate limits by address).
    /// Loads DfE's published statistics as shipped (only the tests that need them: it
    /// takes a moment).
    pub async fn with_published_statistics(&self) {
        self.store
            .replace_published_statistics(published_statistics(), "test")
            .await
            .unwrap();
    }

    /// Adds an inspection activity that started a week before "today" and is not yet
    /// published: under way, so Ofsted's regional staff may read the LA's Annex A.
    pub async fn with_open_activity(&self, la: &str) {
        let mut data = reference_data().clone();
        data.activities.push(ilacs_domain::inspection::Activity {
            la_code: LaCode::parse(la).unwrap(),
            kind: ilacs_domain::inspection::ActivityKind::FocusedVisit,
            start_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            publication_date: None,
            theme: None,
            judgements: ilacs_domain::inspection::Judgements::new(),
        });
        self.store
            .import_reference_data(&data, "test", "test")
            .await
            .unwrap();
    }

    pub fn use_address(&mut self, address: &str) {
        self.address = address.parse().unwrap();
    }

    /// Issues an API token for a user, as `ilacs users token` does.
    pub async fn api_token(&self, username: &str) -> String {
        let user = self
            .store
            .user_by_username(&Username::parse(username).unwrap())
            .await
            .unwrap()
            .unwrap();
        let issued = ilacs_web::api_token::issue();
        self.store
            .create_api_token(&ilacs_store::NewApiToken {
                token_hash: issued.hash,
                user_id: user.id,
                name: "test".into(),
                created_at: chrono::Utc::now().timestamp(),
                expires_at: chrono::Utc::now().timestamp() + 3600,
                actor: "test".into(),
            })
            .await
            .unwrap();
        issued.token
    }

    /// A JSON API call, with a bearer token if given (cookies are sent as usual).
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let request = match body {
            Some(b) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        }
        .unwrap();
        self.request(request).await
    }

    /// Forgets every cookie: a different browser.
    pub fn new_browser(&mut self) {
        self.cookies.clear();
    }

    pub fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies.get(name)
    }

    pub async fn request(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request
                .headers_mut()
                .insert(header::COOKIE, jar.join("; ").parse().unwrap());
        }
        let response = self
            .router
            .clone()
            .layer(MockConnectInfo(self.address))
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form exactly as given (no token is added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.request(request).await
    }

    /// Opens `form_page`, then posts the form with the page's CSRF token, as a browser would.
    pub async fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let token = self.get(form_page).await.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Opens `form_page`, then posts a file-upload form (multipart) with the page's CSRF
    /// token first, as a browser would: `files` are (field, file name, bytes).
    pub async fn upload(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let token = self.get(form_page).await.csrf_token();
        let boundary = "ilacs-test-boundary-7f3a";
        let mut body = Vec::new();
        let mut part = |headers: String, content: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        part(
            "Content-Disposition: form-data; name=\"csrf_token\"".into(),
            token.as_bytes(),
        );
        for (name, value) in fields {
            part(
                format!("Content-Disposition: form-data; name=\"{name}\""),
                value.as_bytes(),
            );
        }
        for (name, file, bytes) in files {
            part(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream"),
                bytes,
            );
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::builder()
            .method(Method::POST)
            .uri(action)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    pub async fn sign_in(&mut self, username: &str) -> TestResponse {
        let response = self
            .submit(
                "/sign-in",
                "/sign-in",
                &[
                    ("username", username),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "sign in as {username}: {}",
            response.body
        );
        response
    }

    pub async fn sign_out(&mut self) {
        let response = self.submit("/", "/sign-out", &[]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
