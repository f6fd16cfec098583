-- The schema as of the eighth SQLite migration, in one step.
CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    number        TEXT UNIQUE,
    district      TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    category      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    doc           BYTEA NOT NULL,
    heads         TEXT NOT NULL DEFAULT '',
    departments   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_by_district ON cases (district);
CREATE INDEX cases_by_enterprise ON cases (enterprise_id);
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    org           TEXT,
    district      TEXT,
    profile       TEXT
);
CREATE UNIQUE INDEX users_enterprise ON users (org) WHERE role = 'enterprise';
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE changes (
    seq     BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    bytes   BYTEA NOT NULL
);
CREATE INDEX changes_by_case ON changes (case_id, seq);
CREATE TABLE sync_states (
    peer    TEXT NOT NULL,
    case_id TEXT NOT NULL,
    state   BYTEA NOT NULL,
    PRIMARY KEY (peer, case_id)
);
CREATE TABLE refusals (
    seq     BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at_ms   BIGINT NOT NULL,
    reason  TEXT NOT NULL
);
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    mime       TEXT NOT NULL,
    bytes      BYTEA NOT NULL,
    uploader   TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE blob_refs (sha256 TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY (sha256, case_id));
CREATE TABLE public_links (case_id TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE);
CREATE TABLE notices (
    case_id   TEXT NOT NULL,
    month     TEXT NOT NULL,
    issued_ms BIGINT NOT NULL,
    html      TEXT NOT NULL,
    PRIMARY KEY (case_id, month)
);
CREATE TABLE audit (
    seq     BIGSERIAL PRIMARY KEY,
    at_ms   BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    case_id TEXT,
    detail  TEXT NOT NULL
);
CREATE INDEX audit_by_case ON audit (case_id);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
