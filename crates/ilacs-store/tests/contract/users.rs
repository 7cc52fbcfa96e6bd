use crate::contract;
use crate::reference::sample;
use ilacs_domain::access::Role;
use ilacs_domain::authority::{LaCode, RegionId};
use ilacs_domain::user::Username;
use ilacs_store::{NewAccessEntry, NewUser, Store, StoreError};
use std::sync::Arc;

fn new_user(name: &str, role: Role, la: Option<&str>, region: Option<&str>) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap(),
        display_name: format!("{name} (test)"),
        password_hash: "$argon2id$not-a-real-hash".into(),
        role,
        la: la.map(|c| LaCode::parse(c).unwrap()),
        region: region.map(|r| RegionId::parse(r).unwrap()),
        actor: "test".into(),
    }
}

async fn seeded(store: &Arc<dyn Store>) {
    store
        .import_reference_data(&sample(), "sample", "test")
        .await
        .unwrap();
}

contract!(
    creates_and_finds_users,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        let dcs = store
            .create_user(&new_user("dcs.barking", Role::LaAdmin, Some("301"), None))
            .await
            .unwrap();
        assert_eq!(
            dcs.region.as_ref().map(|r| r.as_str()),
            Some("london"),
            "LA staff take their LA's region"
        );
        assert!(!dcs.disabled);
        assert_eq!(dcs.scope_name.as_deref(), Some("Barking and Dagenham"));
        let hmi = store
            .create_user(&new_user(
                "hmi.london",
                Role::OfstedRegional,
                None,
                Some("london"),
            ))
            .await
            .unwrap();
        assert_eq!(hmi.scope_name.as_deref(), Some("London"));
        store
            .create_user(&new_user(
                "viewer.barking",
                Role::LaViewer,
                Some("301"),
                None,
            ))
            .await
            .unwrap();

        let dup = store
            .create_user(&new_user("dcs.barking", Role::LaViewer, Some("302"), None))
            .await
            .unwrap_err();
        assert!(matches!(dup, StoreError::Duplicate(_)), "{dup}");
        let unknown = store
            .create_user(&new_user("x.unknown", Role::LaViewer, Some("999"), None))
            .await
            .unwrap_err();
        assert!(matches!(unknown, StoreError::Invalid(_)), "{unknown}");

        let found = store
            .user_by_username(&Username::parse("DCS.Barking").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, dcs.id);
        assert_eq!(found.role, Role::LaAdmin);
        let barking: Vec<_> = store
            .users(Some(&LaCode::parse("301").unwrap()))
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username.to_string())
            .collect();
        assert_eq!(barking, ["dcs.barking", "viewer.barking"]);
        assert_eq!(store.users(None).await.unwrap().len(), 3);
    }
);

contract!(sessions_expire_and_end_on_role_change, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let user = store
        .create_user(&new_user(
            "qp.barking",
            Role::LaQualityPerformance,
            Some("301"),
            None,
        ))
        .await
        .unwrap();
    store
        .create_session("hash-1", user.id, 1_000, 2_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .session_user("hash-1", 1_500)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(user.id)
    );
    assert!(
        store.session_user("hash-1", 2_000).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.session_user("nope", 1_500).await.unwrap().is_none());

    let name = Username::parse("qp.barking").unwrap();
    let changed = store
        .set_role(
            &name,
            Role::LaViewer,
            Some(&LaCode::parse("302").unwrap()),
            None,
            "admin",
        )
        .await
        .unwrap();
    assert_eq!(changed.role, Role::LaViewer);
    assert_eq!(changed.la.as_ref().map(|l| l.as_str()), Some("302"));
    assert!(
        store.session_user("hash-1", 1_500).await.unwrap().is_none(),
        "role change ends sessions"
    );

    store
        .create_session("hash-2", user.id, 1_000, 9_000)
        .await
        .unwrap();
    store
        .set_password_hash(&name, "$argon2id$new", "admin")
        .await
        .unwrap();
    assert!(
        store.session_user("hash-2", 1_500).await.unwrap().is_none(),
        "password change ends sessions"
    );

    store
        .create_session("hash-3", user.id, 1_000, 9_000)
        .await
        .unwrap();
    store.delete_session("hash-3").await.unwrap();
    assert!(store.session_user("hash-3", 1_500).await.unwrap().is_none());

    let ghost = Username::parse("ghost").unwrap();
    assert!(matches!(
        store
            .set_role(&ghost, Role::LaViewer, None, None, "admin")
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.set_password_hash(&ghost, "h", "admin").await,
        Err(StoreError::NotFound(_))
    ));
});

contract!(
    logs_access_newest_first,
    |store: Arc<dyn Store>| async move {
        seeded(&store).await;
        for (i, la) in ["301", "302", "301"].iter().enumerate() {
            store
                .log_access(&NewAccessEntry {
                    at: 100 + i as i64,
                    user_id: None,
                    username: "dcs.barking".into(),
                    action: "read".into(),
                    record_kind: "la_users".into(),
                    record_key: format!("{la}/users"),
                    la: Some(LaCode::parse(la).unwrap()),
                })
                .await
                .unwrap();
        }
        let log = store
            .access_log(Some(&LaCode::parse("301").unwrap()), 10)
            .await
            .unwrap();
        let times: Vec<_> = log.iter().map(|e| e.entry.at).collect();
        assert_eq!(times, [102, 100]);
        assert_eq!(store.access_log(None, 2).await.unwrap().len(), 2);
    }
);

contract!(
    settings_keep_their_first_value,
    |store: Arc<dyn Store>| async move {
        assert_eq!(
            store.setting_or_insert("k", "first").await.unwrap(),
            "first"
        );
        assert_eq!(
            store.setting_or_insert("k", "second").await.unwrap(),
            "first"
        );
    }
);

contract!(api_tokens_sign_in_until_they_expire, |store: Arc<
    dyn Store,
>| async move {
    seeded(&store).await;
    let user = store
        .create_user(&new_user(
            "cms.barking",
            Role::LaQualityPerformance,
            Some("301"),
            None,
        ))
        .await
        .unwrap();
    let token = |hash: &str, expires_at| ilacs_store::NewApiToken {
        token_hash: hash.into(),
        user_id: user.id,
        name: "Case management import".into(),
        created_at: 1_000,
        expires_at,
        actor: "test".into(),
    };
    store.create_api_token(&token("h1", 5_000)).await.unwrap();
    let found = store.api_token_user("h1", 2_000).await.unwrap().unwrap();
    assert_eq!(found.username.as_str(), "cms.barking");
    assert!(
        store.api_token_user("h1", 5_000).await.unwrap().is_none(),
        "expired"
    );
    assert!(store.api_token_user("nope", 2_000).await.unwrap().is_none());
    let dup = store.create_api_token(&token("h1", 9_000)).await;
    assert!(dup.is_err(), "token hashes are unique");
    let orphan = ilacs_store::NewApiToken {
        user_id: 999_999,
        ..token("h2", 9_000)
    };
    assert!(matches!(
        store.create_api_token(&orphan).await,
        Err(StoreError::Invalid(_))
    ));
});
