-- Barrio packs: each barrio's base layers (streets, blocks, landmarks) and the JSON a device
-- downloads to draw it offline, rebuilt whenever the barrio or its layers change. `version`
-- only grows, so a device can tell its copy is old.
CREATE TABLE barrio_packs (
    barrio_id   INTEGER PRIMARY KEY REFERENCES barrios(id),
    version     INTEGER NOT NULL,
    layers      TEXT    NOT NULL,
    pack        TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    features    INTEGER NOT NULL,
    demo        INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
