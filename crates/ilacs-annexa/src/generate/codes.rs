//! The code values the linked generator writes, looked up once in the bundled schema by
//! their canonical spelling (so a renamed code fails loudly here, in a test, not as a
//! silently wrong workbook), with how often each occurs.

use super::rng::SplitMix64;
use crate::schema::Schema;

/// Codes of one set with weights: drawn in proportion.
#[derive(Debug, Clone)]
pub(crate) struct Pick {
    codes: Vec<u16>,
    weights: Vec<f64>,
}

impl Pick {
    pub(crate) fn draw(&self, rng: &mut SplitMix64) -> u16 {
        self.codes[rng.weighted(&self.weights)]
    }
}

pub(crate) struct Codes {
    pub gender: Pick,
    pub male: u16,
    pub female: u16,
    pub ethnicity: Pick,
    pub yes: u16,
    pub no: u16,
    pub source: Pick,
    pub need: Pick,
    pub need_abuse: u16,
    pub need_absent_parenting: u16,
    pub rc: [u16; 10],
    /// The reason an episode of need closes when care ceases, by reason ceased.
    pub ceased_rc: Vec<u16>,
    pub status_cla: u16,
    pub status_cp: u16,
    pub status_cin: u16,
    pub status_assessment: u16,
    pub status_closed: u16,
    pub abuse: Pick,
    pub abuse_all: Vec<u16>,
    pub legal_new: Pick,
    pub legal_settled: Pick,
    pub legal_interim: u16,
    pub legal_full: u16,
    pub legal_placement_order: u16,
    pub perm_return: u16,
    pub perm_adoption: u16,
    pub perm_sgo: u16,
    pub perm_supported: u16,
    pub perm_residential: u16,
    pub perm_fostering: u16,
    pub perm_other: u16,
    pub ceased_other: Pick,
    pub ceased_at_18: Pick,
    pub ceased_adopted: Pick,
    pub placement_young: Pick,
    pub placement_teen: Pick,
    pub placement_adoption: Pick,
    pub placement_types: PlacementTypes,
    pub provider: [u16; 6],
    pub location_in: u16,
    pub location_out: u16,
    pub eligibility_relevant: u16,
    pub eligibility_former: u16,
    pub eligibility_qualifying: u16,
    pub eligibility_eligible: u16,
    pub in_touch_yes: u16,
    pub not_in_touch: Pick,
    pub accommodation_suitable: Pick,
    pub accommodation_unsuitable: Pick,
    pub suitable: u16,
    pub unsuitable: u16,
    pub activity_eet: Pick,
    pub activity_neet: Pick,
    pub adoption_ended: Pick,
    pub adopter_left: Pick,
}

/// Placement types the generator treats specially.
pub(crate) struct PlacementTypes {
    /// Children's homes and other settings with an Ofsted URN.
    pub registered: Vec<u16>,
    pub with_parents: u16,
    pub foster: Vec<u16>,
}

impl Codes {
    pub(crate) fn new(schema: &Schema) -> Codes {
        let set = |name: &str| {
            schema
                .code_sets
                .iter()
                .find(|s| s.name == name)
                .unwrap_or_else(|| panic!("the schema has no code set {name}"))
        };
        let code = |s: &str, canonical: &str| -> u16 {
            let values = &set(s).values;
            let i = values
                .iter()
                .position(|v| v == canonical)
                .unwrap_or_else(|| panic!("code set {s} has no '{canonical}'"));
            i as u16
        };
        let pick = |s: &str, weighted: &[(&str, f64)]| Pick {
            codes: weighted.iter().map(|(c, _)| code(s, c)).collect(),
            weights: weighted.iter().map(|(_, w)| *w).collect(),
        };
        let rc = |n: usize| code("closure_reason", &format!("RC{n}"));
        Codes {
            gender: pick(
                "gender",
                &[
                    ("a) Male", 51.0),
                    ("b) Female", 48.2),
                    ("c) Not stated/recorded", 0.6),
                    ("d) Neither", 0.2),
                ],
            ),
            male: code("gender", "a) Male"),
            female: code("gender", "b) Female"),
            // Roughly the ethnicity of children in need in England.
            ethnicity: pick(
                "ethnicity",
                &[
                    ("a) WBRI", 62.0),
                    ("b) WIRI", 0.4),
                    ("c) WIRT", 0.3),
                    ("d) WOTH", 5.0),
                    ("e) WROM", 0.6),
                    ("f) MWBC", 2.6),
                    ("g) MWBA", 0.8),
                    ("h) MWAS", 1.1),
                    ("i) MOTH", 3.2),
                    ("j) AIND", 1.4),
                    ("k) APKN", 3.0),
                    ("l) ABAN", 1.4),
                    ("m) AOTH", 2.2),
                    ("n) BCRB", 1.5),
                    ("o) BAFR", 4.5),
                    ("p) BOTH", 1.8),
                    ("q) CHNE", 0.2),
                    ("r) OOTH", 3.5),
                    ("s) REFU", 0.6),
                    ("t) NOBT", 2.0),
                    ("UNKNOWN", 1.9),
                ],
            ),
            yes: code("yes_no", "a) Yes"),
            no: code("yes_no", "b) No"),
            // Police, schools and health refer most (DfE's referral sources).
            source: pick(
                "source",
                &[
                    ("1A", 3.0),
                    ("1B", 1.5),
                    ("1C", 0.5),
                    ("1D", 2.5),
                    ("2A", 18.5),
                    ("2B", 1.5),
                    ("3A", 1.5),
                    ("3B", 2.0),
                    ("3C", 5.0),
                    ("3D", 1.0),
                    ("3E", 1.5),
                    ("3F", 2.5),
                    ("4", 2.5),
                    ("5A", 6.0),
                    ("5B", 1.5),
                    ("5C", 1.0),
                    ("5D", 1.5),
                    ("6", 29.0),
                    ("7", 1.5),
                    ("8", 6.0),
                    ("9", 1.0),
                    ("10", 8.0),
                ],
            ),
            need: pick(
                "need",
                &[
                    ("N0", 1.0),
                    ("N1", 56.0),
                    ("N2", 9.0),
                    ("N3", 4.0),
                    ("N4", 11.0),
                    ("N5", 13.0),
                    ("N6", 2.0),
                    ("N7", 0.5),
                    ("N8", 2.5),
                    ("N9", 1.0),
                ],
            ),
            need_abuse: code("need", "N1"),
            need_absent_parenting: code("need", "N8"),
            rc: [
                0,
                rc(1),
                rc(2),
                rc(3),
                rc(4),
                rc(5),
                rc(6),
                rc(7),
                rc(8),
                rc(9),
            ],
            ceased_rc: set("reason_ceased")
                .values
                .iter()
                .map(|v| {
                    // Adoption, death, child arrangements and special guardianship
                    // orders, and moving to another LA or to adult services close the
                    // episode for those reasons; anything else is "services ceased".
                    rc(match v.as_str() {
                        "E11" | "E12" => 1,
                        "E2" => 2,
                        "E41" => 3,
                        "E45" | "E46" | "E47" => 4,
                        "E3" => 5,
                        "E6" => 6,
                        _ => 7,
                    })
                })
                .collect(),
            status_cla: code("case_status", "a) Looked after child"),
            status_cp: code("case_status", "b) Child Protection plan"),
            status_cin: code("case_status", "c) Child in need plan"),
            status_assessment: code("case_status", "d) Open assessment"),
            status_closed: code("case_status", "e) Closed episode"),
            abuse: pick(
                "abuse_category",
                &[
                    ("a) Neglect", 51.0),
                    ("b) Physical abuse", 6.0),
                    ("c) Sexual abuse", 4.0),
                    ("d) Emotional abuse", 35.0),
                    ("e) Multiple/not recommended", 4.0),
                ],
            ),
            abuse_all: set("abuse_category")
                .values
                .iter()
                .enumerate()
                .map(|(i, _)| i as u16)
                .collect(),
            legal_new: pick(
                "legal_status",
                &[
                    ("C2", 40.0),
                    ("V2", 44.0),
                    ("L1", 3.0),
                    ("L2", 3.0),
                    ("J1", 2.0),
                    ("J2", 2.0),
                    ("E1", 0.5),
                    ("C1", 5.5),
                ],
            ),
            legal_settled: pick(
                "legal_status",
                &[
                    ("C1", 74.0),
                    ("C2", 6.0),
                    ("V2", 14.0),
                    ("V3", 0.5),
                    ("V4", 0.5),
                    ("D1", 1.0),
                    ("J1", 1.0),
                    ("J2", 1.0),
                    ("J3", 0.5),
                    ("L3", 0.5),
                    ("E1", 1.0),
                ],
            ),
            legal_interim: code("legal_status", "C2"),
            legal_full: code("legal_status", "C1"),
            legal_placement_order: code("legal_status", "E1"),
            perm_return: code("permanence_plan", "a) Return to family"),
            perm_adoption: code("permanence_plan", "b) Adoption"),
            perm_sgo: code("permanence_plan", "c) SGO/CAO"),
            perm_supported: code("permanence_plan", "d) Supported living in the community"),
            perm_residential: code("permanence_plan", "e) Long-term residential placement"),
            perm_fostering: code("permanence_plan", "f) Long-term fostering"),
            perm_other: code("permanence_plan", "g) other"),
            ceased_other: pick(
                "reason_ceased",
                &[
                    ("E4A", 30.0),
                    ("E4B", 2.0),
                    ("E13", 10.0),
                    ("E41", 5.0),
                    ("E45", 6.0),
                    ("E46", 7.0),
                    ("E47", 2.0),
                    ("E3", 2.0),
                    ("E14", 1.5),
                    ("E15", 1.5),
                    ("E16", 0.5),
                    ("E2", 0.3),
                    ("E7", 0.5),
                    ("E9", 0.7),
                    ("E6", 0.5),
                    ("E8", 8.0),
                ],
            ),
            ceased_at_18: pick(
                "reason_ceased",
                &[("E5", 35.0), ("E48", 30.0), ("E17", 25.0), ("E8", 10.0)],
            ),
            ceased_adopted: pick("reason_ceased", &[("E11", 80.0), ("E12", 20.0)]),
            placement_young: pick(
                "placement_type",
                &[
                    ("U1", 8.0),
                    ("U2", 3.0),
                    ("U3", 10.0),
                    ("U4", 30.0),
                    ("U5", 4.0),
                    ("U6", 20.0),
                    ("K2", 11.0),
                    ("P1", 7.0),
                    ("R1", 0.5),
                    ("R2", 0.5),
                    ("R3", 0.5),
                    ("R5", 1.0),
                    ("S1", 0.5),
                    ("Z1", 1.0),
                    ("K1", 0.5),
                    ("T0", 1.0),
                    ("T4", 1.0),
                ],
            ),
            placement_teen: pick(
                "placement_type",
                &[
                    ("U4", 18.0),
                    ("U6", 15.0),
                    ("U3", 4.0),
                    ("K2", 20.0),
                    ("H5", 30.0),
                    ("P2", 5.0),
                    ("P3", 3.0),
                    ("R5", 2.0),
                    ("S1", 1.0),
                    ("Z1", 2.0),
                ],
            ),
            placement_adoption: pick(
                "placement_type",
                &[("A3", 10.0), ("A4", 10.0), ("A5", 50.0), ("A6", 30.0)],
            ),
            placement_types: PlacementTypes {
                registered: ["K1", "K2", "H5", "R1", "S1"]
                    .iter()
                    .map(|c| code("placement_type", c))
                    .collect(),
                with_parents: code("placement_type", "P1"),
                foster: ["U1", "U2", "U3", "U4", "U5", "U6"]
                    .iter()
                    .map(|c| code("placement_type", c))
                    .collect(),
            },
            provider: [
                code("placement_provider", "PR0"),
                code("placement_provider", "PR1"),
                code("placement_provider", "PR2"),
                code("placement_provider", "PR3"),
                code("placement_provider", "PR4"),
                code("placement_provider", "PR5"),
            ],
            location_in: code("placement_location", "a) In"),
            location_out: code("placement_location", "b) Out"),
            eligibility_relevant: code("eligibility", "a) Relevant child"),
            eligibility_former: code("eligibility", "b) Former relevant child"),
            eligibility_qualifying: code("eligibility", "c) Qualifying care leaver"),
            eligibility_eligible: code("eligibility", "d) Eligible child"),
            in_touch_yes: code("in_touch", "Yes"),
            not_in_touch: pick("in_touch", &[("No", 60.0), ("Refu", 25.0), ("NREQ", 15.0)]),
            accommodation_suitable: pick(
                "accommodation",
                &[
                    ("U", 30.0),
                    ("Z", 12.0),
                    ("B", 14.0),
                    ("D", 15.0),
                    ("E", 10.0),
                    ("T", 4.0),
                    ("K", 5.0),
                    ("C", 5.0),
                    ("G", 2.0),
                    ("H", 3.0),
                ],
            ),
            accommodation_unsuitable: pick(
                "accommodation",
                &[
                    ("S", 30.0),
                    ("V", 20.0),
                    ("W", 15.0),
                    ("X", 25.0),
                    ("Y", 8.0),
                    ("R", 2.0),
                ],
            ),
            suitable: code("suitability", "Suitable"),
            unsuitable: code("suitability", "Unsuitable"),
            activity_eet: pick(
                "activity",
                &[
                    ("F1", 10.0),
                    ("F2", 35.0),
                    ("F3", 5.0),
                    ("F4", 15.0),
                    ("F5", 5.0),
                    ("P1", 3.0),
                    ("P2", 7.0),
                    ("P3", 2.0),
                    ("P4", 12.0),
                    ("P5", 6.0),
                ],
            ),
            activity_neet: pick("activity", &[("G4", 25.0), ("G5", 62.0), ("G6", 13.0)]),
            adoption_ended: pick(
                "adoption_ended_reason",
                &[("RD1", 40.0), ("RD2", 25.0), ("RD3", 20.0), ("RD4", 15.0)],
            ),
            adopter_left: pick(
                "adopter_left_reason",
                &[
                    ("1) Withdrew", 70.0),
                    ("2) On hold", 20.0),
                    ("3) Refused", 10.0),
                ],
            ),
        }
    }
}
