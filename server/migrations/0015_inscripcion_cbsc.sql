-- Issue 21: communities' requests to enrol their barrio in the route, with staff's decisions,
-- and each barrio's CBSC kept as versions. Nothing here is updated or deleted: a decision is a
-- row of its own, a change of the committee a new version.

CREATE TABLE inscripciones (
    id             TEXT    PRIMARY KEY,
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    organizacion   TEXT    NOT NULL,
    canal          TEXT    NOT NULL CHECK (canal IN ('telefono', 'correo', 'otro')),
    -- Personal data: read by staff only, never exported, published or written to the audit log.
    contacto       TEXT    NOT NULL,
    motivo         TEXT    NOT NULL,
    received_at_ms INTEGER NOT NULL
);
CREATE INDEX inscripciones_by_barrio ON inscripciones(barrio_id, received_at_ms);

-- One decision per request, whatever the requests racing to decide it.
CREATE TABLE inscripcion_decisiones (
    inscripcion_id TEXT    PRIMARY KEY REFERENCES inscripciones(id),
    veredicto      TEXT    NOT NULL CHECK (veredicto IN ('aceptada', 'rechazada')),
    at_ms          INTEGER NOT NULL,
    by_user        TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    ciclo_id       TEXT    REFERENCES ciclos(id),
    CHECK ((veredicto = 'aceptada') = (ciclo_id IS NOT NULL))
);

CREATE TABLE cbsc_versions (
    barrio_id          INTEGER NOT NULL REFERENCES barrios(id),
    version            INTEGER NOT NULL CHECK (version >= 1),
    fecha_conformacion TEXT    NOT NULL,
    miembros           INTEGER NOT NULL CHECK (miembros BETWEEN 0 AND 500),
    -- The offices filled, a JSON array of their codes.
    roles              TEXT    NOT NULL,
    estado             TEXT    NOT NULL CHECK (estado IN ('activo', 'inactivo', 'en_conformacion')),
    at_ms              INTEGER NOT NULL,
    by_user            TEXT    NOT NULL,
    PRIMARY KEY (barrio_id, version)
);

-- Apart from the figures, so that nothing built on the committee's figures can carry them:
-- staff only, never exported or published.
CREATE TABLE cbsc_member_names (
    barrio_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    nombre    TEXT    NOT NULL,
    rol       TEXT,
    PRIMARY KEY (barrio_id, version, position),
    FOREIGN KEY (barrio_id, version) REFERENCES cbsc_versions(barrio_id, version)
);

CREATE TRIGGER inscripciones_are_immutable BEFORE UPDATE ON inscripciones
BEGIN
    SELECT RAISE(ABORT, 'a request is immutable: append a decision');
END;
CREATE TRIGGER inscripciones_are_kept BEFORE DELETE ON inscripciones
BEGIN
    SELECT RAISE(ABORT, 'a request is kept');
END;
CREATE TRIGGER inscripcion_decisiones_are_immutable BEFORE UPDATE ON inscripcion_decisiones
BEGIN
    SELECT RAISE(ABORT, 'a decision is immutable');
END;
CREATE TRIGGER inscripcion_decisiones_are_kept BEFORE DELETE ON inscripcion_decisiones
BEGIN
    SELECT RAISE(ABORT, 'a decision is kept');
END;
CREATE TRIGGER cbsc_versions_are_immutable BEFORE UPDATE ON cbsc_versions
BEGIN
    SELECT RAISE(ABORT, 'a committee version is immutable: append another');
END;
CREATE TRIGGER cbsc_versions_are_kept BEFORE DELETE ON cbsc_versions
BEGIN
    SELECT RAISE(ABORT, 'a committee version is kept');
END;
CREATE TRIGGER cbsc_member_names_are_immutable BEFORE UPDATE ON cbsc_member_names
BEGIN
    SELECT RAISE(ABORT, 'a committee version is immutable: append another');
END;
CREATE TRIGGER cbsc_member_names_are_kept BEFORE DELETE ON cbsc_member_names
BEGIN
    SELECT RAISE(ABORT, 'a committee version is kept');
END;
