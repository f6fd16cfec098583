-- How each person wants to be reached (domain::reach::Settings as JSON),
-- with the e-mail address apart so mails can be addressed by a query.
CREATE TABLE user_settings (
    user_id  TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email    TEXT,
    settings TEXT NOT NULL
);
-- Every mail the server sends, and what became of it: queued (again at
-- next_ms after a failure), sent, or failed with the last reason. `mail_key`
-- makes queueing idempotent (one letter mail per case, month and person).
CREATE TABLE mail_outbox (
    id         BIGSERIAL PRIMARY KEY,
    mail_key   TEXT NOT NULL UNIQUE,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    html       TEXT NOT NULL,
    text       TEXT NOT NULL,
    state      TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_ms    BIGINT NOT NULL,
    last_error TEXT,
    created_ms BIGINT NOT NULL,
    sent_ms    BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_ms);
