-- Sync: changes are appended as they arrive and folded into `doc` (the
-- snapshot) by compaction; `heads` and `departments` let a connecting
-- client be served without loading documents.
ALTER TABLE cases ADD COLUMN heads TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN departments TEXT NOT NULL DEFAULT '';
CREATE TABLE changes (
    seq     INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    bytes   BLOB NOT NULL
);
CREATE INDEX changes_by_case ON changes(case_id, seq);
CREATE TABLE sync_states (
    peer    TEXT NOT NULL,
    case_id TEXT NOT NULL,
    state   BLOB NOT NULL,
    PRIMARY KEY (peer, case_id)
) WITHOUT ROWID;
CREATE TABLE refusals (
    seq     INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at_ms   INTEGER NOT NULL,
    reason  TEXT NOT NULL
);
