//! CSRF protection for every form. Each browser holds a random `ilacs_csrf` cookie;
//! forms carry `csrf_token` = HMAC(key, cookie | session), so a token is useless in
//! another browser or another session. A middleware checks every unsafe request
//! before any handler runs, so no form can forget.

use super::cookies;
use super::session::Viewer;
use crate::error::PageError;
use crate::routes::MAX_UPLOAD_BYTES;
use crate::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use ilacs_store::{Store, StoreError};
use sha2::Sha256;

pub(crate) struct CsrfKey([u8; 32]);

/// The token forms on this page must carry.
#[derive(Clone, Debug)]
pub(crate) struct CsrfToken(pub String);

const SETTING: &str = "csrf_key";
const MAX_FORM_BYTES: usize = 1024 * 1024;

impl CsrfKey {
    pub(crate) async fn load(store: &dyn Store) -> Result<CsrfKey, StoreError> {
        let stored = store
            .setting_or_insert(SETTING, &cookies::random_token())
            .await?;
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = stored
                .get(i * 2..i * 2 + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    StoreError::Corrupt("the stored CSRF key is not 64 hex digits".into())
                })?;
        }
        Ok(CsrfKey(key))
    }

    fn mac(&self, browser: &str, session: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("any key length");
        mac.update(browser.as_bytes());
        mac.update(b"|");
        mac.update(session.as_bytes());
        mac
    }

    fn token(&self, browser: &str, session: &str) -> String {
        cookies::hex(&self.mac(browser, session).finalize().into_bytes())
    }

    fn verify(&self, browser: &str, session: &str, token: &str) -> bool {
        let Some(bytes) = (0..token.len() / 2)
            .map(|i| {
                token
                    .get(i * 2..i * 2 + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        // Constant-time comparison.
        self.mac(browser, session).verify_slice(&bytes).is_ok()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The `csrf_token` field of a URL-encoded form body.
fn form_token(body: &[u8]) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let s = std::str::from_utf8(pair).ok()?;
        let (k, v) = s.split_once('=')?;
        (k == "csrf_token").then(|| v.to_string())
    })
}

/// The `csrf_token` part of a `multipart/form-data` body (a file upload), given the
/// request's content type. Forms put the token first, so it is found at once.
fn multipart_token(content_type: &str, body: &[u8]) -> Option<String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut rest = body;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        let Some(headers_end) = find(rest, b"\r\n\r\n") else {
            break;
        };
        let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
        let content = &rest[headers_end + 4..];
        if headers
            .to_ascii_lowercase()
            .contains("content-disposition: form-data; name=\"csrf_token\"")
        {
            let end = find(content, format!("\r\n{delimiter}").as_bytes())?;
            return std::str::from_utf8(&content[..end])
                .ok()
                .map(str::to_string);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn multipart_type(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("multipart/form-data"))
}

/// An `Origin` header, when sent, must name this host.
fn origin_matches(request: &Request) -> bool {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return true;
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .map(|(_, rest)| rest == host)
        .unwrap_or(false)
}

pub(crate) async fn protect(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let existing = cookies::get(request.headers(), cookies::CSRF);
    let browser = existing.clone().unwrap_or_else(cookies::random_token);
    let session = request
        .extensions()
        .get::<Viewer>()
        .and_then(|v| v.session_hash())
        .unwrap_or_default()
        .to_string();

    let mut request = request;
    if !is_safe(request.method()) {
        let failure = |reason: &str| {
            tracing::warn!(reason, path = %request.uri().path(), "refused a form without a valid CSRF token");
            PageError::FormExpired
        };
        if !origin_matches(&request) {
            return failure("origin").into_response();
        }
        let Some(browser) = existing.as_deref() else {
            return failure("no cookie").into_response();
        };
        let (parts, body) = request.into_parts();
        let multipart = multipart_type(&parts.headers);
        // A file upload may be large; the handler's own limit is the same, so one
        // clear message names it.
        let limit = if multipart.is_some() {
            MAX_UPLOAD_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let Ok(bytes) = to_bytes(body, limit).await else {
            return if multipart.is_some() {
                PageError::TooLarge(format!(
                    "The file is larger than {} MB, more than any Annex A return can be. Check you chose the right file.",
                    MAX_UPLOAD_BYTES / (1024 * 1024)
                ))
                .into_response()
            } else {
                PageError::BadRequest("The form was too large.".into()).into_response()
            };
        };
        let token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| match multipart {
                Some(content_type) => multipart_token(content_type, &bytes),
                None => form_token(&bytes),
            });
        match token {
            Some(t) if state.csrf.verify(browser, &session, &t) => {}
            Some(_) => return PageError::FormExpired.into_response(),
            None => return PageError::FormExpired.into_response(),
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request
        .extensions_mut()
        .insert(CsrfToken(state.csrf.token(&browser, &session)));
    let mut response = next.run(request).await;
    if existing.is_none() {
        // Lax, not Strict: a strict cookie is not sent when a user follows a link from
        // elsewhere, so a new one would replace it and break forms open in other tabs.
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(
                cookies::CSRF,
                &browser,
                None,
                "Lax",
                state.config.secure_cookies,
            ),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_to_browser_and_session() {
        let key = CsrfKey([7u8; 32]);
        let t = key.token("browser-a", "");
        assert!(key.verify("browser-a", "", &t));
        assert!(!key.verify("browser-b", "", &t));
        assert!(!key.verify("browser-a", "session-1", &t));
        assert!(!key.verify("browser-a", "", "zz"));
        assert!(!key.verify("browser-a", "", ""));
        let mut tampered = t.clone();
        tampered.replace_range(0..1, if t.starts_with('0') { "1" } else { "0" });
        assert!(!key.verify("browser-a", "", &tampered));
    }

    #[test]
    fn finds_the_token_field() {
        assert_eq!(
            form_token(b"a=1&csrf_token=abc&b=2").as_deref(),
            Some("abc")
        );
        assert_eq!(form_token(b"a=1"), None);
    }

    #[test]
    fn finds_the_token_part_of_an_upload() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.xlsx\"\r\n\r\nPK..\r\n--XyZ--\r\n";
        let content_type = "multipart/form-data; boundary=XyZ";
        assert_eq!(
            multipart_token(content_type, body).as_deref(),
            Some("abc123")
        );
        let without = b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n\r\ncsrf_token=abc\r\n--XyZ--\r\n";
        assert_eq!(multipart_token(content_type, without), None);
        assert_eq!(multipart_token("multipart/form-data", body), None);
    }
}
