use crate::contract;
use chrono::NaiveDate;
use ilacs_domain::authority::{AuthorityRef, GssCode, LaCode, LocalAuthority, Regions};
use ilacs_domain::grade::Grade;
use ilacs_domain::inspection::{Activity, ActivityKind, Judgement, Judgements};
use ilacs_store::{ReferenceData, StoreError};

fn la(code: &str, gss: &str, name: &str, region: &str, neighbours: &[&str]) -> LocalAuthority {
    let regions = Regions::bundled();
    let region = regions
        .all()
        .iter()
        .find(|r| r.id.as_str() == region)
        .unwrap();
    LocalAuthority {
        la_code: LaCode::parse(code).unwrap(),
        gss_code: GssCode::parse(gss).unwrap(),
        name: name.into(),
        region: region.id.clone(),
        ons_region: region.ons_regions[0].clone(),
        la_type: Some("London Borough".into()),
        population_0_25: Some(85041),
        current: true,
        statistical_neighbours: neighbours
            .iter()
            .map(|n| LaCode::parse(n).unwrap())
            .collect(),
        other_codes: Vec::new(),
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn inspection(
    code: &str,
    start: &str,
    kind: ActivityKind,
    grades: &[(Judgement, Grade)],
) -> Activity {
    Activity {
        la_code: LaCode::parse(code).unwrap(),
        kind,
        start_date: d(start),
        publication_date: Some(d(start) + chrono::Duration::days(50)),
        theme: None,
        judgements: grades
            .iter()
            .fold(Judgements::new(), |j, (k, g)| j.with(*k, *g)),
    }
}

pub fn sample() -> ReferenceData {
    use Grade::*;
    use Judgement::*;
    let mut barnsley = la(
        "370",
        "E08000016",
        "Barnsley",
        "north-east-yorkshire-humber",
        &["301"],
    );
    barnsley
        .other_codes
        .push(GssCode::parse("E08000038").unwrap());
    ReferenceData {
        regions: Regions::bundled().all().to_vec(),
        local_authorities: vec![
            la(
                "301",
                "E09000002",
                "Barking and Dagenham",
                "london",
                &["302", "370"],
            ),
            la("302", "E09000003", "Barnet", "london", &["301"]),
            barnsley,
        ],
        activities: vec![
            inspection(
                "301",
                "2019-02-18",
                ActivityKind::StandardInspection,
                &[
                    (OverallEffectiveness, RequiresImprovement),
                    (ImpactOfLeaders, RequiresImprovement),
                    (HelpAndProtection, RequiresImprovement),
                    (ChildrenInCare, RequiresImprovement),
                ],
            ),
            inspection(
                "301",
                "2023-07-10",
                ActivityKind::StandardInspection,
                &[
                    (OverallEffectiveness, RequiresImprovement),
                    (ImpactOfLeaders, RequiresImprovement),
                    (HelpAndProtection, RequiresImprovement),
                    (ChildrenInCare, RequiresImprovement),
                    (CareLeavers, Good),
                ],
            ),
            Activity {
                theme: Some("Children in need/subject to a plan".into()),
                ..inspection("301", "2025-03-26", ActivityKind::FocusedVisit, &[])
            },
            inspection(
                "302",
                "2024-06-10",
                ActivityKind::ShortInspection,
                &[(OverallEffectiveness, Good), (HelpAndProtection, Good)],
            ),
        ],
    }
}

contract!(imports_and_reads_reference_data, |store: std::sync::Arc<
    dyn ilacs_store::Store,
>| async move {
    let data = sample();
    let first = store
        .import_reference_data(&data, "sample", "test")
        .await
        .unwrap();
    assert_eq!(first.regions.added, 8);
    assert_eq!(first.local_authorities.added, 3);
    assert_eq!(first.activities.added, 4);

    let regions = store.regions().await.unwrap();
    assert_eq!(regions, data.regions);

    let by_code = store
        .local_authority(&AuthorityRef::parse("301").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_code, data.local_authorities[0]);
    let by_gss = store
        .local_authority(&AuthorityRef::parse("E09000002").unwrap())
        .await
        .unwrap();
    assert_eq!(by_gss.as_ref(), Some(&data.local_authorities[0]));
    let by_old_code = store
        .local_authority(&AuthorityRef::parse("E08000038").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_old_code.name, "Barnsley");
    assert!(store
        .local_authority(&AuthorityRef::parse("999").unwrap())
        .await
        .unwrap()
        .is_none());

    let history = store
        .activities(&LaCode::parse("301").unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].kind, ActivityKind::FocusedVisit, "newest first");
    assert_eq!(history[1], data.activities[1]);
    let everyone = store.all_activities().await.unwrap();
    assert_eq!(
        everyone.len(),
        data.activities.len(),
        "every LA's, in one read"
    );
    assert!(history.iter().all(|a| everyone.contains(a)));

    let overview = store.local_authorities().await.unwrap();
    let names: Vec<_> = overview.iter().map(|o| o.authority.name.as_str()).collect();
    assert_eq!(names, ["Barking and Dagenham", "Barnet", "Barnsley"]);
    let latest = overview[0].latest_inspection.as_ref().unwrap();
    assert_eq!(
        latest.start_date,
        d("2023-07-10"),
        "the focused visit is not a graded inspection"
    );
    assert_eq!(
        latest.judgements.get(Judgement::CareLeavers),
        Some(Grade::Good)
    );
    assert!(overview[2].latest_inspection.is_none());
});

contract!(
    reimporting_the_same_data_changes_nothing,
    |store: std::sync::Arc<dyn ilacs_store::Store>| async move {
        let data = sample();
        store
            .import_reference_data(&data, "sample", "test")
            .await
            .unwrap();
        let before = store.local_authorities().await.unwrap();
        let again = store
            .import_reference_data(&data, "sample", "test")
            .await
            .unwrap();
        assert_eq!(again.changed(), 0, "{again:?}");
        assert_eq!(again.activities.unchanged, 4);
        assert_eq!(store.local_authorities().await.unwrap(), before);

        let mut changed = data.clone();
        changed.activities[3]
            .judgements
            .set(Judgement::HelpAndProtection, Grade::Outstanding);
        changed.local_authorities[1].population_0_25 = Some(1);
        let third = store
            .import_reference_data(&changed, "sample v2", "test")
            .await
            .unwrap();
        assert_eq!(third.activities.updated, 1);
        assert_eq!(third.local_authorities.updated, 1);
        assert_eq!(third.changed(), 2);
        let barnet = store
            .activities(&LaCode::parse("302").unwrap())
            .await
            .unwrap();
        assert_eq!(
            barnet[0].judgements.get(Judgement::HelpAndProtection),
            Some(Grade::Outstanding)
        );
    }
);

contract!(
    a_failed_import_leaves_the_old_data,
    |store: std::sync::Arc<dyn ilacs_store::Store>| async move {
        let data = sample();
        store
            .import_reference_data(&data, "sample", "test")
            .await
            .unwrap();
        let before = store.local_authorities().await.unwrap();

        let mut bad = data.clone();
        bad.local_authorities[1].name = "Renamed".into();
        bad.local_authorities[0]
            .statistical_neighbours
            .push(LaCode::parse("999").unwrap());
        let err = store
            .import_reference_data(&bad, "bad", "test")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref m) if m.contains("999")),
            "{err}"
        );
        assert_eq!(store.local_authorities().await.unwrap(), before);

        let mut orphan = data.clone();
        orphan.activities.push(inspection(
            "888",
            "2024-01-01",
            ActivityKind::ShortInspection,
            &[],
        ));
        let err = store
            .import_reference_data(&orphan, "orphan", "test")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("888"), "{err}");
        assert_eq!(store.local_authorities().await.unwrap(), before);
    }
);

/// Ofsted's real published data, as the demo loads it.
fn published() -> ReferenceData {
    ilacs_import::bundled::reference().unwrap()
}

contract!(
    imports_ofsteds_published_outcomes_once,
    |store: std::sync::Arc<dyn ilacs_store::Store>| async move {
        let data = published();
        let first = store
            .import_reference_data(&data, "outcomes", "test")
            .await
            .unwrap();
        assert_eq!(first.local_authorities.added, 157);
        assert_eq!(first.activities.added, 331, "271 inspections and 60 visits");
        let again = store
            .import_reference_data(&data, "outcomes", "test")
            .await
            .unwrap();
        assert_eq!(again.changed(), 0, "{again:?}");

        let overview = store.local_authorities().await.unwrap();
        assert_eq!(overview.iter().filter(|o| o.authority.current).count(), 153);
        let barking = overview
            .iter()
            .find(|o| o.authority.la_code.as_str() == "301")
            .unwrap();
        let latest = barking.latest_inspection.as_ref().unwrap();
        assert_eq!(latest.start_date, d("2023-07-10"));
        assert_eq!(
            latest.judgements.get(Judgement::CareLeavers),
            Some(Grade::Good)
        );
        let graded: usize = overview
            .iter()
            .map(|o| o.latest_inspection.is_some() as usize)
            .sum();
        assert_eq!(graded, 156, "every LA but Poole has an ILACS inspection");
    }
);
