-- La ruta del barrio (issue 21): each barrio's ciclos through the procedure's nine steps, their
-- step changes and closings, and the registros (files) kept for each step. Like corrections,
-- nothing here is updated or deleted: a change is a new row, a withdrawal of a registro too.

CREATE TABLE ciclos (
    id           TEXT    PRIMARY KEY,
    barrio_id    INTEGER NOT NULL REFERENCES barrios(id),
    opened_at_ms INTEGER NOT NULL,
    opened_by    TEXT    NOT NULL
);
CREATE INDEX ciclos_by_barrio ON ciclos(barrio_id, opened_at_ms);

CREATE TABLE ciclo_changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    ciclo_id  TEXT    NOT NULL REFERENCES ciclos(id),
    to_paso   INTEGER NOT NULL CHECK (to_paso BETWEEN 1 AND 9),
    at_ms     INTEGER NOT NULL,
    by_user   TEXT    NOT NULL,
    comment   TEXT    NOT NULL,
    -- The seed's registros missing when the step was left, a JSON array of their codes.
    missing   TEXT    NOT NULL,
    reason    TEXT    NOT NULL
);
CREATE INDEX ciclo_changes_by_ciclo ON ciclo_changes(ciclo_id, seq);

CREATE TABLE ciclo_closures (
    ciclo_id  TEXT    PRIMARY KEY REFERENCES ciclos(id),
    at_ms     INTEGER NOT NULL,
    by_user   TEXT    NOT NULL,
    comment   TEXT    NOT NULL
);

-- One open ciclo per barrio at a time, whatever the requests racing to open one.
CREATE TABLE open_ciclos (
    barrio_id INTEGER PRIMARY KEY REFERENCES barrios(id),
    ciclo_id  TEXT    NOT NULL UNIQUE REFERENCES ciclos(id)
);

-- The bytes live on disk, named by their SHA-256; a row says what they are for a ciclo.
CREATE TABLE registros (
    id             TEXT    PRIMARY KEY,
    ciclo_id       TEXT    NOT NULL REFERENCES ciclos(id),
    paso           INTEGER NOT NULL CHECK (paso BETWEEN 1 AND 9),
    tipo           TEXT    NOT NULL,
    fecha          TEXT    NOT NULL,
    descripcion    TEXT    NOT NULL,
    nombre         TEXT    NOT NULL,
    formato        TEXT    NOT NULL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT    NOT NULL,
    uploaded_by    TEXT    NOT NULL,
    uploaded_at_ms INTEGER NOT NULL
);
CREATE INDEX registros_by_ciclo ON registros(ciclo_id, paso);
CREATE INDEX registros_by_file ON registros(sha256);

CREATE TABLE registro_withdrawals (
    registro_id TEXT    PRIMARY KEY REFERENCES registros(id),
    at_ms       INTEGER NOT NULL,
    by_user     TEXT    NOT NULL,
    reason      TEXT    NOT NULL
);

CREATE TRIGGER ciclos_are_immutable BEFORE UPDATE ON ciclos
BEGIN
    SELECT RAISE(ABORT, 'a ciclo is immutable: append a change or a closure');
END;
CREATE TRIGGER ciclos_are_kept BEFORE DELETE ON ciclos
BEGIN
    SELECT RAISE(ABORT, 'a ciclo is kept');
END;
CREATE TRIGGER ciclo_changes_are_immutable BEFORE UPDATE ON ciclo_changes
BEGIN
    SELECT RAISE(ABORT, 'a step change is immutable: append another');
END;
CREATE TRIGGER ciclo_changes_are_kept BEFORE DELETE ON ciclo_changes
BEGIN
    SELECT RAISE(ABORT, 'a step change is kept');
END;
CREATE TRIGGER ciclo_closures_are_immutable BEFORE UPDATE ON ciclo_closures
BEGIN
    SELECT RAISE(ABORT, 'a closure is immutable');
END;
CREATE TRIGGER ciclo_closures_are_kept BEFORE DELETE ON ciclo_closures
BEGIN
    SELECT RAISE(ABORT, 'a closure is kept');
END;
CREATE TRIGGER registros_are_immutable BEFORE UPDATE ON registros
BEGIN
    SELECT RAISE(ABORT, 'a registro is immutable: withdraw it and upload another');
END;
CREATE TRIGGER registros_are_kept BEFORE DELETE ON registros
BEGIN
    SELECT RAISE(ABORT, 'a registro is kept: withdraw it instead');
END;
CREATE TRIGGER registro_withdrawals_are_immutable BEFORE UPDATE ON registro_withdrawals
BEGIN
    SELECT RAISE(ABORT, 'a withdrawal is immutable');
END;
CREATE TRIGGER registro_withdrawals_are_kept BEFORE DELETE ON registro_withdrawals
BEGIN
    SELECT RAISE(ABORT, 'a withdrawal is kept');
END;
