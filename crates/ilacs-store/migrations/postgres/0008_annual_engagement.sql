-- ilacs schema, version 8 (postgres): annual engagement meetings and their letters.
--
-- One row per meeting. `body` is the whole meeting (ilacs_domain::aem::Meeting) as
-- JSON, its letter included; `meeting_date` (held, else planned; ISO), `held` (0 or 1)
-- and `letter_issued_on` (ISO, NULL until issued) copy what lists filter and sort on.
-- `row_version` counts saves, starting at 1, so a save from a stale copy is refused;
-- an issued letter is never changed (checked by the store in the same transaction).

CREATE TABLE aem_meetings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    meeting_date TEXT NOT NULL,
    held BIGINT NOT NULL,
    letter_issued_on TEXT,
    body TEXT NOT NULL,
    row_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX aem_meetings_la_date ON aem_meetings (la_code, meeting_date);
