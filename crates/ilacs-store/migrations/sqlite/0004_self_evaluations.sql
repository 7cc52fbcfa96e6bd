-- ilacs schema, version 4 (sqlite): self-evaluations.
--
-- One row per version of an LA's self-evaluation for a financial year. `body` is the
-- whole document (ilacs_domain::self_evaluation::SelfEvaluation) as JSON; `year` (the
-- financial year's starting year), `version` and `stage` (a stage key) copy what lists
-- filter and sort on. `row_version` counts saves, starting at 1, so that a save made
-- from a stale copy is refused rather than overwriting someone else's. A version
-- number is taken once: two people starting a new version at once cannot both save.

CREATE TABLE self_evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    stage TEXT NOT NULL,
    body TEXT NOT NULL,
    row_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (la_code, year, version)
);
CREATE INDEX self_evaluations_la_year ON self_evaluations (la_code, year);
