-- Edits and deletions with history. Marks, causes and solutions arrive as numbered versions
-- (1 when drawn, +1 per edit; a deletion is a version too, a tombstone). `record_versions`
-- keeps every version ever received, for good; the other tables hold each record's current
-- version, which is what barrio reads return.

-- The current version of each mark: its attributes (JSON), version number, when that version
-- was made on the device, and whether it is a tombstone. Marks sent before versions existed
-- are version 1, never edited, not deleted.
ALTER TABLE marks ADD COLUMN attributes    TEXT    NOT NULL DEFAULT '{}';
ALTER TABLE marks ADD COLUMN version       INTEGER NOT NULL DEFAULT 1;
ALTER TABLE marks ADD COLUMN updated_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE marks ADD COLUMN deleted       INTEGER NOT NULL DEFAULT 0;

-- Every version of every record, as the JSON of the shared model's struct (the form the
-- device keeps in its outbox). Never updated or deleted: only appended.
CREATE TABLE record_versions (
    kind         TEXT    NOT NULL CHECK (kind IN ('mark', 'cause', 'solution')),
    id           TEXT    NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    barrio_id    INTEGER NOT NULL REFERENCES barrios(id),
    record       TEXT    NOT NULL,
    received_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (kind, id, version)
) WITHOUT ROWID;

-- The marks stored so far become their version 1, received when they were.
INSERT INTO record_versions (kind, id, version, barrio_id, record, received_at)
SELECT 'mark', id, 1, barrio_id,
       json_object('id', id, 'barrio_id', barrio_id, 'category', category, 'geometry', json(geometry),
                   'description', description, 'created_at_ms', created_at_ms, 'alias', alias,
                   'attributes', json('{}'), 'version', 1, 'updated_at_ms', 0, 'deleted', json('false')),
       received_at
FROM marks;

-- The current version of each cause and solution of the problem tree. The record's JSON is
-- what reads return; the columns beside it are what queries and checks need.
CREATE TABLE causes (
    id             TEXT    PRIMARY KEY,
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    record         TEXT    NOT NULL
);
CREATE INDEX causes_by_barrio ON causes(barrio_id);

CREATE TABLE solutions (
    id             TEXT    PRIMARY KEY,
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    record         TEXT    NOT NULL
);
CREATE INDEX solutions_by_barrio ON solutions(barrio_id);
