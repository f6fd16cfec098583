-- Attachments: content-addressed files, and which cases name them (who
-- may download one follows from who may read those cases).
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    mime       TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    uploader   TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE blob_refs (
    sha256  TEXT NOT NULL,
    case_id TEXT NOT NULL,
    PRIMARY KEY (sha256, case_id)
) WITHOUT ROWID;
