-- ilacs schema, version 7 (sqlite): the monthly audit programme.
--
-- The two lists an LA keeps up to date, each replaced whole: its open cases (from its
-- case management system) and its auditors (`cases` a month, NULL for the rules'
-- number). `audit_programme_lists` records who last replaced each list, and when.
-- A confirmed month is fixed: its items are what was asked of each auditor; whether
-- they were done is worked out from the audits, not stored.

CREATE TABLE programme_open_cases (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    child_id TEXT NOT NULL,
    team TEXT NOT NULL,
    case_type TEXT NOT NULL,
    PRIMARY KEY (la_code, child_id)
);

CREATE TABLE programme_auditors (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    auditor TEXT NOT NULL,
    team TEXT NOT NULL,
    cases BIGINT,
    PRIMARY KEY (la_code, auditor)
);

-- `list` is open_cases or auditors.
CREATE TABLE audit_programme_lists (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    list TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (la_code, list)
);

-- `month` is yyyy-mm.
CREATE TABLE programme_months (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    month TEXT NOT NULL,
    confirmed_at BIGINT NOT NULL,
    confirmed_by TEXT NOT NULL,
    PRIMARY KEY (la_code, month)
);

-- One case for one auditor; a case is in a month's programme once. `last_audited` is
-- the date (yyyy-mm-dd) the case was last audited when the month was planned.
CREATE TABLE programme_items (
    la_code TEXT NOT NULL,
    month TEXT NOT NULL,
    auditor TEXT NOT NULL,
    child_id TEXT NOT NULL,
    team TEXT NOT NULL,
    case_type TEXT NOT NULL,
    last_audited TEXT,
    PRIMARY KEY (la_code, month, child_id),
    FOREIGN KEY (la_code, month) REFERENCES programme_months (la_code, month)
);
