-- Barrios with their boundary (a GeoJSON geometry in WGS84) and bounding box, and the marks
-- participants send. Marks are never deleted: later versions add tombstones and history.
CREATE TABLE barrios (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    comuna      TEXT,
    boundary    TEXT    NOT NULL,
    min_lon     REAL    NOT NULL,
    min_lat     REAL    NOT NULL,
    max_lon     REAL    NOT NULL,
    max_lat     REAL    NOT NULL,
    area_ha     REAL    NOT NULL,
    source      TEXT    NOT NULL
);

CREATE TABLE marks (
    id             TEXT    PRIMARY KEY,
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    category       TEXT    NOT NULL,
    geometry       TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    created_at_ms  INTEGER NOT NULL,
    received_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX marks_by_barrio ON marks(barrio_id);
