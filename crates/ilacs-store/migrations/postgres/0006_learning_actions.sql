-- ilacs schema, version 6 (postgres): learning actions.
--
-- What an LA does because its audits found something. `body` is the checked action
-- (ilacs_domain::audit::LearningAction) as JSON, citing audits by id and themes by key;
-- the other columns copy what lists sort and filter on. `version` counts saves,
-- starting at 1, so that a save made from a stale copy is refused rather than
-- overwriting someone else's.

CREATE TABLE learning_actions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code TEXT NOT NULL REFERENCES local_authorities (la_code),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    due_date TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX learning_actions_la_due ON learning_actions (la_code, due_date);
