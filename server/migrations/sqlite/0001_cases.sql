CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    number        TEXT UNIQUE,
    district      TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    category      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    doc           BLOB NOT NULL
);
CREATE INDEX cases_by_district ON cases(district);
CREATE INDEX cases_by_enterprise ON cases(enterprise_id);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
