-- Monthly progress notices as issued: the letter's HTML, kept as sent.
CREATE TABLE notices (
    case_id   TEXT NOT NULL,
    month     TEXT NOT NULL,
    issued_ms INTEGER NOT NULL,
    html      TEXT NOT NULL,
    PRIMARY KEY (case_id, month)
) WITHOUT ROWID;
