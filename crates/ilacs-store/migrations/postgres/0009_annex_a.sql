-- ilacs schema, version 9 (postgres): Annex A uploads and each LA's merged lists.
--
-- `annex_a_uploads`: one row per upload of an LA's (degraded) Annex A, kept as the
-- record of who uploaded what: the file's name, who and when (Unix seconds), the date
-- it was merged as at (ISO; retention counts back from it), the lists found (their
-- numbers, comma-separated), rows read and kept, the number of issues, the issues report
-- as given (`report`: bytes, e.g. CSV or JSON) and what the merge did
-- (`merge_summary`: JSON).
--
-- `annex_a_lists`: the LA's history, one row per list: its rows merged from every
-- upload so far, as bytes (`data`: ilacs_annexa::write_list_csv), and the upload that
-- made this version. An upload replaces all of an LA's rows here, in the transaction
-- that records it, so the lists and the newest upload always agree.

CREATE TABLE annex_a_uploads (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    filename TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    as_at TEXT NOT NULL,
    lists_found TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_kept BIGINT NOT NULL,
    issue_count BIGINT NOT NULL,
    report BYTEA NOT NULL,
    merge_summary TEXT NOT NULL
);
CREATE INDEX annex_a_uploads_la ON annex_a_uploads (la_code, id);

CREATE TABLE annex_a_lists (
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    list BIGINT NOT NULL CHECK (list BETWEEN 1 AND 11),
    row_count BIGINT NOT NULL,
    data BYTEA NOT NULL,
    updated_at BIGINT NOT NULL,
    upload_id BIGINT NOT NULL REFERENCES annex_a_uploads (id),
    PRIMARY KEY (la_code, list)
);
