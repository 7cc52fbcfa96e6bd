use crate::contract;
use ilacs_domain::authority::{GssCode, LaCode};
use ilacs_domain::indicators::{
    compare, Area, Definitions, IndicatorId, Observation, ObservationKey, PublishedStatistics,
    SourceFile, Symbol, TimePeriod, Value,
};
use ilacs_store::{PublishedSummary, ReferenceData, Store, StoreError};
use std::sync::{Arc, OnceLock};

/// The real LAs and regions (no activities: they play no part here).
fn reference() -> &'static ReferenceData {
    static CELL: OnceLock<ReferenceData> = OnceLock::new();
    CELL.get_or_init(|| {
        let (regions, local_authorities) = ilacs_import::bundled::local_authorities().unwrap();
        ReferenceData {
            regions: regions.all().to_vec(),
            local_authorities,
            activities: Vec::new(),
        }
    })
}

/// DfE's real files as shipped.
fn real() -> &'static PublishedStatistics {
    static CELL: OnceLock<PublishedStatistics> = OnceLock::new();
    CELL.get_or_init(|| {
        ilacs_import::bundled::published_statistics(&reference().local_authorities).unwrap()
    })
}

async fn with_real_data(store: &Arc<dyn Store>) -> PublishedSummary {
    store
        .import_reference_data(reference(), "test", "test")
        .await
        .unwrap();
    store
        .replace_published_statistics(real(), "importer")
        .await
        .unwrap()
}

fn la_code(code: &str) -> LaCode {
    LaCode::parse(code).unwrap()
}

fn key(indicator: &str, area: Area, period: &str) -> ObservationKey {
    ObservationKey {
        indicator: IndicatorId::parse(indicator).unwrap(),
        area,
        time_period: TimePeriod::parse(period).unwrap(),
    }
}

fn find(observations: &[Observation], key: &ObservationKey) -> Option<Value> {
    observations
        .iter()
        .find(|o| {
            o.indicator == key.indicator && o.area == key.area && o.time_period == key.time_period
        })
        .map(|o| o.value)
}

/// The real statistics with some values changed, some dropped and one added.
fn edited(
    change: &[(ObservationKey, Value)],
    drop: &dyn Fn(&ObservationKey) -> bool,
) -> PublishedStatistics {
    let mut out = PublishedStatistics::default();
    out.files = real().files.clone();
    for (key, value) in change {
        out.insert(key.clone(), *value).unwrap();
    }
    for (key, value) in real().iter() {
        if !drop(key) {
            // Changed keys are already in: the first value stays.
            let _ = out.insert(key.clone(), value);
        }
    }
    out
}

contract!(real_statistics_are_stored_and_compared, |store: Arc<
    dyn Store,
>| async move {
    let summary = with_real_data(&store).await;
    assert_eq!(
        summary,
        PublishedSummary {
            added: 19_410,
            updated: 0,
            removed: 0,
            unchanged: 0
        }
    );

    let barking = la_code("301");
    let observations = store.published_statistics_for(&barking).await.unwrap();
    let at = |indicator, area, period| find(&observations, &key(indicator, area, period));
    let london = Area::Region(GssCode::parse("E12000007").unwrap());
    assert_eq!(
        at("re_referral_rate", Area::England, "2025"),
        Some(Value::Number(22.6))
    );
    assert_eq!(
        at("re_referral_rate", london.clone(), "2025"),
        Some(Value::Number(19.4))
    );
    assert_eq!(
        at("re_referral_rate", Area::La(barking.clone()), "2025"),
        Some(Value::Number(21.8))
    );
    assert_eq!(
        at("care_leavers_in_touch", Area::La(barking.clone()), "2025"),
        Some(Value::Number(97.0))
    );
    // Only what the comparison needs: Barking, its ten neighbours, London, England.
    let la = store
        .local_authority(&ilacs_domain::authority::AuthorityRef::La(barking.clone()))
        .await
        .unwrap()
        .unwrap();
    let mut areas: Vec<&Area> = observations.iter().map(|o| &o.area).collect();
    areas.sort();
    areas.dedup();
    let mut expected: Vec<Area> = std::iter::once(Area::England)
        .chain(std::iter::once(london))
        .chain(std::iter::once(Area::La(barking.clone())))
        .chain(la.statistical_neighbours.iter().cloned().map(Area::La))
        .collect();
    expected.sort();
    assert_eq!(areas, expected.iter().collect::<Vec<_>>());

    // The neighbours' average, as the domain computes it from what the store gives.
    let rows = compare(&Definitions::bundled(), &la, &observations);
    let row = rows
        .iter()
        .find(|r| r.indicator.as_str() == "re_referral_rate" && r.time_period.as_str() == "2025")
        .unwrap();
    let numbers: Vec<f64> = la
        .statistical_neighbours
        .iter()
        .filter_map(|n| real().get(&key("re_referral_rate", Area::La(n.clone()), "2025")))
        .filter_map(Value::number)
        .collect();
    assert_eq!(row.neighbours.contributing, numbers.len());
    assert_eq!(row.neighbours.neighbours, 10);
    let mean = numbers.iter().sum::<f64>() / numbers.len() as f64;
    assert!((row.neighbours.mean.unwrap() - mean).abs() < 1e-9);

    let import = store.last_published_import().await.unwrap().unwrap();
    assert_eq!(import.imported_by, "importer");
    assert_eq!(import.summary, summary);
    assert_eq!(import.files, real().files);
    assert_eq!(
        import.files[0],
        SourceFile {
            name: "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv".into(),
            rows: 2132,
            values: 2125,
        }
    );
});

contract!(
    symbols_come_back_as_symbols,
    |store: Arc<dyn Store>| async move {
        with_real_data(&store).await;
        let sunderland = la_code("394");
        let observations = store.published_statistics_for(&sunderland).await.unwrap();
        assert_eq!(
            find(
                &observations,
                &key("sw_agency_rate", Area::La(sunderland.clone()), "2025")
            ),
            Some(Value::Symbol(Symbol::Low))
        );
        let stockport = la_code("356");
        let observations = store.published_statistics_for(&stockport).await.unwrap();
        assert_eq!(
            find(
                &observations,
                &key(
                    "care_leavers_suitable_accommodation",
                    Area::La(stockport),
                    "2025"
                )
            ),
            Some(Value::Symbol(Symbol::Confidential))
        );

        // Every symbol, stored and read back as itself.
        let barking = Area::La(la_code("301"));
        let periods = ["2013", "2014", "2015", "2016", "2017", "2018"];
        let changes: Vec<(ObservationKey, Value)> = Symbol::ALL
            .iter()
            .zip(periods)
            .map(|(s, p)| {
                (
                    key("re_referral_rate", barking.clone(), p),
                    Value::Symbol(*s),
                )
            })
            .collect();
        let summary = store
            .replace_published_statistics(&edited(&changes, &|_| false), "importer")
            .await
            .unwrap();
        assert_eq!(summary.updated, 6);
        let observations = store
            .published_statistics_for(&la_code("301"))
            .await
            .unwrap();
        for (key, value) in &changes {
            assert_eq!(find(&observations, key), Some(*value), "{key:?}");
        }
    }
);

contract!(the_same_import_twice_changes_nothing, |store: Arc<
    dyn Store,
>| async move {
    with_real_data(&store).await;
    let before = store
        .published_statistics_for(&la_code("301"))
        .await
        .unwrap();
    let again = store
        .replace_published_statistics(real(), "importer")
        .await
        .unwrap();
    assert_eq!(
        again,
        PublishedSummary {
            added: 0,
            updated: 0,
            removed: 0,
            unchanged: 19_410
        }
    );
    assert_eq!(again.changed(), 0);
    let after = store
        .published_statistics_for(&la_code("301"))
        .await
        .unwrap();
    assert_eq!(before, after);
    let import = store.last_published_import().await.unwrap().unwrap();
    assert_eq!(import.summary, again);
});

contract!(an_import_replaces_the_old_values, |store: Arc<
    dyn Store,
>| async move {
    with_real_data(&store).await;
    let barking = Area::La(la_code("301"));
    let changed = key("re_referral_rate", barking.clone(), "2025");
    let added = key("re_referral_rate", barking.clone(), "2026");
    let changes = [
        (changed.clone(), Value::Number(30.5)),
        (added.clone(), Value::Symbol(Symbol::NotAvailable)),
    ];
    // DfE's next files no longer have 2013.
    let dropped = |k: &ObservationKey| k.time_period.as_str() == "2013";
    let removed = real().iter().filter(|(k, _)| dropped(k)).count() as u64;
    assert!(removed > 500);
    let summary = store
        .replace_published_statistics(&edited(&changes, &dropped), "importer")
        .await
        .unwrap();
    assert_eq!(
        summary,
        PublishedSummary {
            added: 1,
            updated: 1,
            removed,
            unchanged: 19_410 - removed - 1,
        }
    );
    let observations = store
        .published_statistics_for(&la_code("301"))
        .await
        .unwrap();
    assert_eq!(find(&observations, &changed), Some(Value::Number(30.5)));
    assert_eq!(
        find(&observations, &added),
        Some(Value::Symbol(Symbol::NotAvailable))
    );
    assert!(observations
        .iter()
        .all(|o| o.time_period.as_str() != "2013"));
});

contract!(a_refused_import_keeps_the_old_values, |store: Arc<
    dyn Store,
>| async move {
    with_real_data(&store).await;
    let barking = Area::La(la_code("301"));
    let changed = key("re_referral_rate", barking, "2025");
    // A change that would be written, and a value for an LA the store does not know.
    let changes = [
        (changed.clone(), Value::Number(30.5)),
        (
            key("re_referral_rate", Area::La(la_code("999")), "2025"),
            Value::Number(1.0),
        ),
    ];
    let err = store
        .replace_published_statistics(&edited(&changes, &|_| false), "importer")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("an LA not known here (999)")),
        "{err}"
    );
    let err = store
        .replace_published_statistics(&PublishedStatistics::default(), "importer")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");

    let observations = store
        .published_statistics_for(&la_code("301"))
        .await
        .unwrap();
    assert_eq!(find(&observations, &changed), Some(Value::Number(21.8)));
    let import = store.last_published_import().await.unwrap().unwrap();
    assert_eq!(import.summary.added, 19_410);
});

contract!(
    an_unknown_la_has_no_statistics,
    |store: Arc<dyn Store>| async move {
        assert!(store.last_published_import().await.unwrap().is_none());
        let err = store
            .published_statistics_for(&la_code("301"))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err}");
        // Known, but nothing imported yet: nothing to compare.
        store
            .import_reference_data(reference(), "test", "test")
            .await
            .unwrap();
        assert!(store
            .published_statistics_for(&la_code("301"))
            .await
            .unwrap()
            .is_empty());
    }
);
