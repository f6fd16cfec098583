-- One-time links an admin hands out: an invitation to an account prepared
-- for someone (role, unit, district, name), or a password reset for an
-- existing account (`user_id`). Only the token's SHA-256 is kept.
CREATE TABLE invitations (
    token_hash   TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL,
    user_id      TEXT,
    role         TEXT NOT NULL,
    org          TEXT,
    district     TEXT,
    display_name TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL,
    used_ms      INTEGER
);
-- When an admin deactivated the account: it no longer signs in or syncs;
-- its name stays on the cases it acted on.
ALTER TABLE users ADD COLUMN deactivated_ms INTEGER;
-- An enterprise has several staff (its registrant invites colleagues), so
-- no longer one account per enterprise; registering stays once per credit
-- code (the server checks).
DROP INDEX users_enterprise;
