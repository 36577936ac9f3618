-- Pasos 1–2: the indicator catalogue, imports of indicator data per barrio and period, the
-- ISCB's definitions, the barrios prioritised from the balance and the oficios de convocatoria.
-- Like the ruta, nothing here is updated or deleted: an edit is a new version, a re-import of
-- a period a new import that supersedes the earlier one for the balance, which stays.

-- Every version of every catalogue entry; the current one is the highest version.
CREATE TABLE indicadores (
    code        TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    nombre      TEXT    NOT NULL,
    unidad      TEXT    NOT NULL CHECK (unidad IN ('casos', 'tasa', 'porcentaje', 'puntaje')),
    direccion   TEXT    NOT NULL CHECK (direccion IN ('mayor_es_peor', 'mayor_es_mejor')),
    descripcion TEXT    NOT NULL,
    fuente      TEXT    NOT NULL,
    activo      INTEGER NOT NULL CHECK (activo IN (0, 1)),
    at_ms       INTEGER NOT NULL,
    by_user     TEXT    NOT NULL,
    PRIMARY KEY (code, version)
) WITHOUT ROWID;

CREATE TABLE indicator_imports (
    id         TEXT    PRIMARY KEY,
    municipio  TEXT    NOT NULL,
    archivo    TEXT    NOT NULL,
    formato    TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL,
    by_user    TEXT    NOT NULL,
    -- Generated demo data ("datos de ejemplo"): ignored once a real import exists.
    ejemplo    INTEGER NOT NULL CHECK (ejemplo IN (0, 1)),
    aceptadas  INTEGER NOT NULL,
    rechazadas INTEGER NOT NULL,
    -- The whole report (JSON) as it was answered when the import was confirmed.
    report     TEXT    NOT NULL
);
CREATE INDEX indicator_imports_by_city ON indicator_imports(municipio, at_ms);

-- The periods an import brings (`2026`, `2026-C3`, `2026-09`): for each city and period, the
-- import with the highest seq is the current one.
CREATE TABLE indicator_import_periods (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id TEXT    NOT NULL REFERENCES indicator_imports(id),
    municipio TEXT    NOT NULL,
    periodo   TEXT    NOT NULL
);
CREATE INDEX indicator_import_periods_by_period ON indicator_import_periods(municipio, periodo, seq);

CREATE TABLE indicator_values (
    import_id TEXT    NOT NULL REFERENCES indicator_imports(id),
    barrio_id INTEGER NOT NULL REFERENCES barrios(id),
    periodo   TEXT    NOT NULL,
    -- A catalogue code, or `poblacion`.
    indicador TEXT    NOT NULL,
    valor     REAL    NOT NULL CHECK (valor >= 0),
    PRIMARY KEY (import_id, periodo, indicador, barrio_id)
) WITHOUT ROWID;

-- Versions of the ISCB's definition: the JSON of a `DefinicionDraft`.
CREATE TABLE iscb_definitions (
    version    INTEGER PRIMARY KEY CHECK (version >= 1),
    definition TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL,
    by_user    TEXT    NOT NULL
);

-- A barrio chosen for the next cycle, with the ciclo it entered the ruta with.
CREATE TABLE priorizaciones (
    id             TEXT    PRIMARY KEY,
    municipio      TEXT    NOT NULL,
    periodo        TEXT    NOT NULL,
    version        INTEGER NOT NULL REFERENCES iscb_definitions(version),
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    fuente         TEXT    NOT NULL CHECK (fuente IN ('ranking', 'inscripcion')),
    inscripcion_id TEXT,
    motivo         TEXT    NOT NULL,
    puesto         INTEGER,
    indice         REAL,
    ciclo_id       TEXT    NOT NULL REFERENCES ciclos(id),
    registro_id    TEXT    NOT NULL REFERENCES registros(id),
    at_ms          INTEGER NOT NULL,
    by_user        TEXT    NOT NULL
);
CREATE INDEX priorizaciones_by_period ON priorizaciones(municipio, periodo, at_ms);

-- Oficios de convocatoria: the JSON of an `OficioDraft`.
CREATE TABLE oficios (
    id        TEXT    PRIMARY KEY,
    municipio TEXT    NOT NULL,
    periodo   TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    at_ms     INTEGER NOT NULL,
    by_user   TEXT    NOT NULL
);

CREATE TRIGGER indicadores_are_immutable BEFORE UPDATE ON indicadores
BEGIN SELECT RAISE(ABORT, 'a catalogue entry is immutable: add a version'); END;
CREATE TRIGGER indicadores_are_kept BEFORE DELETE ON indicadores
BEGIN SELECT RAISE(ABORT, 'a catalogue entry is kept'); END;
CREATE TRIGGER indicator_imports_are_immutable BEFORE UPDATE ON indicator_imports
BEGIN SELECT RAISE(ABORT, 'an import is immutable: import again'); END;
CREATE TRIGGER indicator_imports_are_kept BEFORE DELETE ON indicator_imports
BEGIN SELECT RAISE(ABORT, 'an import is kept'); END;
CREATE TRIGGER indicator_import_periods_are_immutable BEFORE UPDATE ON indicator_import_periods
BEGIN SELECT RAISE(ABORT, 'an import is immutable'); END;
CREATE TRIGGER indicator_import_periods_are_kept BEFORE DELETE ON indicator_import_periods
BEGIN SELECT RAISE(ABORT, 'an import is kept'); END;
CREATE TRIGGER indicator_values_are_immutable BEFORE UPDATE ON indicator_values
BEGIN SELECT RAISE(ABORT, 'an imported value is immutable: import again'); END;
CREATE TRIGGER indicator_values_are_kept BEFORE DELETE ON indicator_values
BEGIN SELECT RAISE(ABORT, 'an imported value is kept'); END;
CREATE TRIGGER iscb_definitions_are_immutable BEFORE UPDATE ON iscb_definitions
BEGIN SELECT RAISE(ABORT, 'a definition is immutable: add a version'); END;
CREATE TRIGGER iscb_definitions_are_kept BEFORE DELETE ON iscb_definitions
BEGIN SELECT RAISE(ABORT, 'a definition is kept'); END;
CREATE TRIGGER priorizaciones_are_immutable BEFORE UPDATE ON priorizaciones
BEGIN SELECT RAISE(ABORT, 'a prioritisation is immutable'); END;
CREATE TRIGGER priorizaciones_are_kept BEFORE DELETE ON priorizaciones
BEGIN SELECT RAISE(ABORT, 'a prioritisation is kept'); END;
CREATE TRIGGER oficios_are_immutable BEFORE UPDATE ON oficios
BEGIN SELECT RAISE(ABORT, 'an oficio is immutable: write another'); END;
CREATE TRIGGER oficios_are_kept BEFORE DELETE ON oficios
BEGIN SELECT RAISE(ABORT, 'an oficio is kept'); END;
