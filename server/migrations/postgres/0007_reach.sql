-- How each person wants to be reached (domain::reach::Settings as JSON),
-- with the e-mail address apart so mails can be addressed by a query.
CREATE TABLE user_settings (
    user_id  TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email    TEXT,
    settings TEXT NOT NULL
);
-- Every mail and push notification the server sends, and what became of
-- it: queued (until next_ms: quiet hours, or the wait after a failure),
-- sent, or failed with the last reason. `out_key` makes queueing
-- idempotent (one letter mail per case, month and person; one reminder
-- per case, person and day). `recipient` is an address (mail) or an
-- account (push); `payload` is what to send, as JSON.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    channel    TEXT NOT NULL,
    out_key    TEXT NOT NULL UNIQUE,
    recipient  TEXT NOT NULL,
    payload    TEXT NOT NULL,
    state      TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_ms    BIGINT NOT NULL,
    last_error TEXT,
    created_ms BIGINT NOT NULL,
    sent_ms    BIGINT
);
CREATE INDEX outbox_due ON outbox (channel, state, next_ms);
-- Where each device receives push notifications (RFC 8030): the push
-- service's endpoint and the subscription's keys (RFC 8291).
CREATE TABLE push_subscriptions (
    endpoint   TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
-- Keys of this installation, made on first start: the VAPID key pair
-- that signs push requests (RFC 8292).
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Themed and cross-district sessions coordinators published, for
-- enterprises to see on the session calendar and sign up to (monthly
-- sessions follow from the working-day calendar). A session's id holds
-- everything about it (domain::meeting).
CREATE TABLE published_sessions (
    id           TEXT PRIMARY KEY,
    published_by TEXT NOT NULL,
    published_ms BIGINT NOT NULL
);
