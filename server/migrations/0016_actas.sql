-- Actas (issue 21): the minutes of the route's meetings, as numbered versions like marks. A
-- version is immutable; the highest is the acta. Attendance is counted by sector, never named.
-- A registro may be the signed scan of an acta.

CREATE TABLE acta_versions (
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    kind           TEXT    NOT NULL,
    fecha          TEXT    NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    -- The whole version as the app's JSON (`app::model::acta::Acta`).
    body           TEXT    NOT NULL,
    author_user_id INTEGER REFERENCES users(id),
    author         TEXT    NOT NULL,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX acta_versions_by_barrio ON acta_versions(barrio_id, fecha);

ALTER TABLE registros ADD COLUMN acta_id TEXT;

CREATE TRIGGER acta_versions_are_immutable BEFORE UPDATE ON acta_versions
BEGIN
    SELECT RAISE(ABORT, 'an acta version is immutable: write the next one');
END;
CREATE TRIGGER acta_versions_are_kept BEFORE DELETE ON acta_versions
BEGIN
    SELECT RAISE(ABORT, 'an acta version is kept');
END;
