-- When the server last heard from each device of each user (`user/storageId`,
-- as sync states are keyed): the earliest time a change arriving later from
-- that device can plausibly carry (see domain::device_time).
CREATE TABLE device_contacts (
    storage_key TEXT PRIMARY KEY,
    last_ms     INTEGER NOT NULL
);
