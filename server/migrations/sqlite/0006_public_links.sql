-- The unguessable token of each case's public progress page.
CREATE TABLE public_links (
    case_id TEXT PRIMARY KEY,
    token   TEXT NOT NULL UNIQUE
) WITHOUT ROWID;
