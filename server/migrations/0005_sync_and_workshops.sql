-- Sync protocol 2 (issue 6): workshops with join codes, versions identified by their clock,
-- a pull cursor, and idempotent batches. Nothing stored before is dropped or changed in
-- meaning: every old version keeps its record, barrio and arrival time.

-- A workshop (taller) a facilitator prepares; devices join it with its short code.
CREATE TABLE workshops (
    id                  TEXT    PRIMARY KEY,
    barrio_id           INTEGER NOT NULL REFERENCES barrios(id),
    date                TEXT    NOT NULL,
    place               TEXT    NOT NULL DEFAULT '',
    cbsc                TEXT    NOT NULL,
    facilitator         TEXT    NOT NULL,
    join_code           TEXT    NOT NULL UNIQUE,
    code_expires_at_ms  INTEGER NOT NULL,
    created_at_ms       INTEGER NOT NULL
);
CREATE INDEX workshops_by_barrio ON workshops(barrio_id, created_at_ms);

-- The history, rebuilt so that two devices may each make "version 2" of the same record: a
-- version is identified by its clock (`hlc`, text that sorts like the clock), not its number.
-- `seq` numbers versions in the order they arrived, for good: it is the cursor devices pull
-- from. Versions from before devices kept a clock get the clock the model gives them
-- (Hlc::legacy: their edit or creation time, their number as the counter, no device).
-- `workshop_id` is not a foreign key: the store checks it, and a version that names a
-- workshop this server never had must still be kept.
CREATE TABLE record_versions_v5 (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL CHECK (kind IN ('mark', 'cause', 'solution')),
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    hlc            TEXT    NOT NULL,
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    workshop_id    TEXT,
    device_id      TEXT,
    submission_id  TEXT,
    record         TEXT    NOT NULL,
    received_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (kind, id, hlc)
);

INSERT INTO record_versions_v5 (kind, id, version, hlc, barrio_id, workshop_id, record, received_at)
SELECT kind, id, version,
       coalesce(json_extract(record, '$.hlc'),
                printf('%013d-%05d-',
                       max(coalesce(json_extract(record, '$.created_at_ms'), 0), coalesce(json_extract(record, '$.updated_at_ms'), 0)),
                       min(version, 99999))),
       barrio_id, json_extract(record, '$.workshop_id'), record, received_at
FROM record_versions
ORDER BY received_at, kind, id, version;

DROP TABLE record_versions;
ALTER TABLE record_versions_v5 RENAME TO record_versions;
-- The pull: a workshop's versions after a cursor. (Lookups of one version by its clock use
-- the index of UNIQUE (kind, id, hlc).)
CREATE INDEX record_versions_by_workshop ON record_versions(workshop_id, seq);

-- The current version of each record keeps its workshop and its clock (which decides whether
-- a version arriving later replaces it), taken from its row in the history.
ALTER TABLE marks ADD COLUMN workshop_id TEXT;
ALTER TABLE marks ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE marks SET
    workshop_id = (SELECT v.workshop_id FROM record_versions v WHERE v.kind = 'mark' AND v.id = marks.id AND v.version = marks.version),
    hlc = coalesce(
        (SELECT v.hlc FROM record_versions v WHERE v.kind = 'mark' AND v.id = marks.id AND v.version = marks.version),
        printf('%013d-%05d-', max(created_at_ms, updated_at_ms), min(version, 99999)));

ALTER TABLE causes ADD COLUMN workshop_id TEXT;
ALTER TABLE causes ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE causes SET
    workshop_id = json_extract(record, '$.workshop_id'),
    hlc = coalesce(
        (SELECT v.hlc FROM record_versions v WHERE v.kind = 'cause' AND v.id = causes.id AND v.version = causes.version),
        printf('%013d-%05d-',
               max(created_at_ms, coalesce(json_extract(record, '$.updated_at_ms'), 0)), min(version, 99999)));

ALTER TABLE solutions ADD COLUMN workshop_id TEXT;
ALTER TABLE solutions ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
UPDATE solutions SET
    workshop_id = json_extract(record, '$.workshop_id'),
    hlc = coalesce(
        (SELECT v.hlc FROM record_versions v WHERE v.kind = 'solution' AND v.id = solutions.id AND v.version = solutions.version),
        printf('%013d-%05d-',
               max(created_at_ms, coalesce(json_extract(record, '$.updated_at_ms'), 0)), min(version, 99999)));

-- Each batch received (protocol 2), with the answer it got: the same batch sent again after
-- a lost answer gets that answer again, and nothing is stored twice.
CREATE TABLE submissions (
    id              TEXT    PRIMARY KEY,
    device_id       TEXT    NOT NULL,
    received_at_ms  INTEGER NOT NULL,
    reply           TEXT    NOT NULL
);
