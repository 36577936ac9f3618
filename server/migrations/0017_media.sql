-- Photos and voice notes (issue 22): one row per file a device or an account offered, kept
-- for good once complete (`received_at_ms`); hiding one sets `deleted_at_ms` and keeps row and
-- file (history). The bytes live on disk, named by their SHA-256 (`archivos/sha256/`); the
-- chunks of an unfinished upload in one file per upload (`archivos/partes/`), never here.
CREATE TABLE media (
    id              TEXT    PRIMARY KEY,
    record_kind     TEXT    NOT NULL CHECK (record_kind IN ('mark', 'workshop')),
    record_id       TEXT    NOT NULL,
    barrio_id       INTEGER NOT NULL REFERENCES barrios(id),
    workshop_id     TEXT,
    -- Who sent it: a device (participant's phone or facilitator's tablet) or an account.
    device_id       TEXT,
    account_id      INTEGER REFERENCES users(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('photo', 'voice')),
    -- As offered until complete, then as its first bytes tell.
    mime            TEXT    NOT NULL,
    bytes           INTEGER NOT NULL CHECK (bytes > 0),
    sha256          TEXT    NOT NULL,
    width           INTEGER,
    height          INTEGER,
    duration_ms     INTEGER,
    captured_at_ms  INTEGER NOT NULL,
    offered_at_ms   INTEGER NOT NULL,
    received_at_ms  INTEGER,
    thumb_sha256    TEXT,
    deleted_at_ms   INTEGER,
    CHECK ((device_id IS NULL) <> (account_id IS NULL))
);
CREATE INDEX media_by_barrio ON media(barrio_id, received_at_ms);
CREATE INDEX media_by_workshop ON media(workshop_id, received_at_ms);
CREATE INDEX media_by_record ON media(record_kind, record_id);
CREATE INDEX media_by_sha256 ON media(sha256, received_at_ms);
CREATE INDEX media_open_by_device ON media(device_id, received_at_ms);
CREATE INDEX media_open_by_account ON media(account_id, received_at_ms);

-- The chunks of an unfinished upload the server holds (their bytes are in its part file).
CREATE TABLE media_chunks (
    media_id  TEXT    NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    n         INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (media_id, n)
) WITHOUT ROWID;
