-- Fichas de intervención (paso 5, issue 25): each action done in a barrio, as numbered
-- versions like the actas. A version is immutable; the highest is the ficha; a withdrawn ficha
-- is a version with `deleted` set.
CREATE TABLE ficha_versions (
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    accion         TEXT    NOT NULL,
    institucion    TEXT    NOT NULL,
    fecha          TEXT    NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    -- The whole version as the app's JSON (`app::model::intervencion::FichaIntervencion`).
    body           TEXT    NOT NULL,
    author_user_id INTEGER REFERENCES users(id),
    author         TEXT    NOT NULL,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX ficha_versions_by_barrio ON ficha_versions(barrio_id, fecha);

CREATE TRIGGER ficha_versions_are_immutable BEFORE UPDATE ON ficha_versions
BEGIN SELECT RAISE(ABORT, 'a ficha version is immutable: write the next one'); END;
CREATE TRIGGER ficha_versions_are_kept BEFORE DELETE ON ficha_versions
BEGIN SELECT RAISE(ABORT, 'a ficha version is kept'); END;
