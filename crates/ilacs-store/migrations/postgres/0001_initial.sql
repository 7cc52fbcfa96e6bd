-- ilacs schema, version 1 (postgres). Dates are ISO text (YYYY-MM-DD); instants are Unix
-- seconds; flags are 0/1 integers, so both back ends read the same types.

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE region_ons_regions (
    ons_region TEXT PRIMARY KEY,
    region_id TEXT NOT NULL REFERENCES regions (id)
);

CREATE TABLE local_authorities (
    la_code TEXT PRIMARY KEY,
    gss_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_id TEXT NOT NULL REFERENCES regions (id),
    ons_region TEXT NOT NULL,
    la_type TEXT,
    population_0_25 BIGINT,
    current BIGINT NOT NULL
);

-- Every other area code an LA has had (the current one is on local_authorities).
CREATE TABLE la_other_codes (
    gss_code TEXT PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code)
);

CREATE TABLE statistical_neighbours (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    rank BIGINT NOT NULL,
    neighbour_la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    PRIMARY KEY (la_code, rank)
);

CREATE TABLE activities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    publication_date TEXT,
    theme TEXT,
    source TEXT NOT NULL,
    UNIQUE (la_code, kind, start_date)
);

CREATE TABLE activity_judgements (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    judgement TEXT NOT NULL,
    grade TEXT NOT NULL,
    PRIMARY KEY (activity_id, judgement)
);

CREATE TABLE imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    source_name TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    summary TEXT NOT NULL
);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    la_code TEXT REFERENCES local_authorities (la_code),
    region_id TEXT REFERENCES regions (id),
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE access_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    la_code TEXT
);
CREATE INDEX access_log_la ON access_log (la_code, at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
