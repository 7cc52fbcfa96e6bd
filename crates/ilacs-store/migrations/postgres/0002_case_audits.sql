-- ilacs schema, version 2 (postgres): case audits.
--
-- `body` is the audit's canonical draft (ilacs_domain::audit::NewAudit) as JSON; the
-- audit is rebuilt by parsing it against its template. The other columns copy what
-- lists filter and sort on. `version` counts saves, starting at 1, so that a save made
-- from a stale copy is refused rather than overwriting someone else's.

CREATE TABLE case_audits (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    template_key TEXT NOT NULL,
    child_id TEXT NOT NULL,
    team TEXT NOT NULL,
    auditor TEXT NOT NULL,
    audit_date TEXT NOT NULL,
    overall_grade TEXT NOT NULL,
    -- The audit this one moderates (a second grading of the same case), if any.
    moderates BIGINT REFERENCES case_audits (id),
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX case_audits_la_date ON case_audits (la_code, audit_date);
-- One moderation per audit (NULLs are distinct, so first audits are not limited).
CREATE UNIQUE INDEX case_audits_moderates ON case_audits (moderates);
