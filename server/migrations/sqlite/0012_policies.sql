-- The policy admins keep (directory, deadline rules, calendar), one row
-- per version; the highest version is in force. Written whole as JSON:
-- devices get exactly this text and check it the same way.
CREATE TABLE policies (
    version   INTEGER PRIMARY KEY,
    body      TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    saved_ms  INTEGER NOT NULL
);
