-- Paso 7 of the ruta (issue 25): the interinstitutional committee's actas. Each reviews a list
-- of compromisos of the city's pactos in force and records the status each was in and the one
-- the committee left it in; a change is also appended to `compromiso_estados`, so the
-- compromiso's history stays the one place its status is read from. Append-only.
CREATE TABLE comites (
    id         TEXT    PRIMARY KEY,
    municipio  TEXT    NOT NULL CHECK (length(municipio) = 5 AND municipio NOT GLOB '*[^0-9]*'),
    numero     INTEGER NOT NULL CHECK (numero >= 1),
    fecha      TEXT    NOT NULL,
    lugar      TEXT    NOT NULL,
    asistentes TEXT    NOT NULL,
    notas      TEXT    NOT NULL,
    por        TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL,
    UNIQUE (municipio, numero)
);
CREATE INDEX comites_by_city ON comites(municipio, at_ms);

CREATE TABLE comite_revisiones (
    comite_id     TEXT    NOT NULL REFERENCES comites(id),
    orden         INTEGER NOT NULL,
    pacto_id      TEXT    NOT NULL,
    compromiso_id TEXT    NOT NULL,
    barrio_id     INTEGER NOT NULL REFERENCES barrios(id),
    antes         TEXT    NOT NULL CHECK (antes IN ('pendiente', 'en_curso', 'cumplido', 'incumplido', 'cancelado')),
    estado        TEXT    NOT NULL CHECK (estado IN ('pendiente', 'en_curso', 'cumplido', 'incumplido', 'cancelado')),
    nota          TEXT    NOT NULL,
    PRIMARY KEY (comite_id, orden),
    FOREIGN KEY (pacto_id, compromiso_id) REFERENCES pacto_compromisos(pacto_id, compromiso_id)
);

CREATE TRIGGER comites_are_immutable BEFORE UPDATE ON comites
BEGIN SELECT RAISE(ABORT, 'a committee acta is immutable'); END;
CREATE TRIGGER comites_are_kept BEFORE DELETE ON comites
BEGIN SELECT RAISE(ABORT, 'a committee acta is kept'); END;
CREATE TRIGGER comite_revisiones_are_immutable BEFORE UPDATE ON comite_revisiones
BEGIN SELECT RAISE(ABORT, 'a committee revision is immutable'); END;
CREATE TRIGGER comite_revisiones_are_kept BEFORE DELETE ON comite_revisiones
BEGIN SELECT RAISE(ABORT, 'a committee revision is kept'); END;
