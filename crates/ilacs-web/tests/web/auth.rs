use crate::support::{TestApp, PASSWORD};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

#[tokio::test]
async fn signing_in_sets_a_hardened_session_cookie_and_signing_out_ends_it() {
    let mut app = TestApp::new().await;
    let response = app.sign_in("dcs.barking").await;
    assert_eq!(response.location(), "/");
    let set_cookie: Vec<_> = response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = set_cookie
        .iter()
        .find(|c| c.starts_with("ilacs_session="))
        .expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(session.contains(attribute), "{session} lacks {attribute}");
    }
    let home = app.get("/").await;
    assert!(home.body.contains("Welcome, Test dcs.barking"));
    app.sign_out().await;
    assert!(app.cookie("ilacs_session").is_none());
    let after = app.get("/local-authorities/E09000002/users").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused_with_an_error_summary() {
    let mut app = TestApp::new().await;
    let blank = app
        .submit(
            "/sign-in",
            "/sign-in",
            &[("username", ""), ("password", "")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("There is a problem"));
    assert!(blank
        .body
        .contains(r##"<a href="#username">Enter your sign-in name</a>"##));
    assert!(blank
        .body
        .contains(r##"<a href="#password">Enter your password</a>"##));
    assert!(blank.body.contains("<title>Error: Sign in"));

    for (name, password) in [
        ("dcs.barking", "wrong password!"),
        ("nobody.here", PASSWORD),
        ("<bad name>", PASSWORD),
    ] {
        let wrong = app
            .submit(
                "/sign-in",
                "/sign-in",
                &[("username", name), ("password", password)],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            wrong
                .body
                .contains("The sign-in name or password is not right"),
            "{name}"
        );
        assert!(app.cookie("ilacs_session").is_none());
    }
}

#[tokio::test]
async fn repeated_failures_are_rate_limited() {
    let mut app = TestApp::new().await;
    for _ in 0..5 {
        let r = app
            .submit(
                "/sign-in",
                "/sign-in",
                &[
                    ("username", "dcs.barking"),
                    ("password", "not the password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = app
        .submit(
            "/sign-in",
            "/sign-in",
            &[("username", "dcs.barking"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many failed attempts to sign in"));
    // Another user is not locked out by someone guessing at dcs.barking.
    app.use_address("198.51.100.7:4000");
    app.sign_in("dcs.devon").await;
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let mut app = TestApp::new().await;
    app.get("/sign-in").await;
    let credentials = [("username", "dcs.barking"), ("password", PASSWORD)];

    let missing = app.post_raw("/sign-in", &credentials).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("The form has expired"));

    let token = app.get("/sign-in").await.csrf_token();
    let mut tampered = token.clone();
    tampered.replace_range(0..2, if token.starts_with("00") { "11" } else { "00" });
    let r = app
        .post_raw(
            "/sign-in",
            &[("csrf_token", &tampered), credentials[0], credentials[1]],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A token from another browser is useless here.
    app.new_browser();
    app.get("/sign-in").await;
    let r = app
        .post_raw(
            "/sign-in",
            &[("csrf_token", &token), credentials[0], credentials[1]],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A request from another site is refused even with a good token.
    let good = app.get("/sign-in").await.csrf_token();
    let cookie = format!("ilacs_csrf={}", app.cookie("ilacs_csrf").unwrap());
    let cross_site = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header(header::HOST, "ilacs.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "csrf_token={good}&username=dcs.barking&password=x"
        )))
        .unwrap();
    assert_eq!(app.request(cross_site).await.status, StatusCode::FORBIDDEN);

    // The session changes the token: one from before sign-in no longer works after.
    let before = app.get("/sign-in").await.csrf_token();
    app.sign_in("dcs.barking").await;
    let r = app.post_raw("/sign-out", &[("csrf_token", &before)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.cookie("ilacs_session").is_some(), "still signed in");
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_but_never_off_site() {
    let mut app = TestApp::new().await;
    let r = app
        .submit(
            "/sign-in",
            "/sign-in",
            &[
                ("username", "dcs.barking"),
                ("password", PASSWORD),
                ("next", "/local-authorities/E09000002/users"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/local-authorities/E09000002/users");
    app.new_browser();
    let r = app
        .submit(
            "/sign-in",
            "/sign-in",
            &[
                ("username", "dcs.barking"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn a_changed_role_ends_the_session() {
    let mut app = TestApp::new().await;
    app.sign_in("dcs.barking").await;
    assert_eq!(
        app.get("/local-authorities/E09000002/users").await.status,
        StatusCode::OK
    );
    let name = ilacs_domain::user::Username::parse("dcs.barking").unwrap();
    let la = ilacs_domain::authority::LaCode::parse("301").unwrap();
    app.store
        .set_role(
            &name,
            ilacs_domain::access::Role::LaViewer,
            Some(&la),
            None,
            "test",
        )
        .await
        .unwrap();
    assert_eq!(
        app.get("/local-authorities/E09000002/users").await.status,
        StatusCode::SEE_OTHER
    );
}
