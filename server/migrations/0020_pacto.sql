-- Paso 4 (issue 24): the catalogue of institutions, the pacto built from a diagnóstico and
-- saved as numbered revisions until it is signed, its otrosíes, the signed compromisos with
-- their status history, and what of a pacto is published. Like the ruta, nothing here is
-- updated or deleted: an edit is a new version or revision, a status change a new row.

-- Every version of every institution; the current one is the highest version.
CREATE TABLE instituciones (
    codigo    TEXT    NOT NULL,
    version   INTEGER NOT NULL CHECK (version >= 1),
    nombre    TEXT    NOT NULL,
    tipo      TEXT    NOT NULL CHECK (tipo IN ('publica', 'privada', 'comunidad')),
    -- A JSON array of `app::model::pacto::Contacto`.
    contactos TEXT    NOT NULL,
    activa    INTEGER NOT NULL CHECK (activa IN (0, 1)),
    at_ms     INTEGER NOT NULL,
    por       TEXT    NOT NULL,
    PRIMARY KEY (codigo, version)
) WITHOUT ROWID;

-- A pacto (version 1) or an otrosí (version 2 and on, naming the version it amends). One
-- otrosí per version: `anterior` is unique.
CREATE TABLE pactos (
    id          TEXT    PRIMARY KEY,
    barrio_id   INTEGER NOT NULL REFERENCES barrios(id),
    ciclo_id    TEXT    REFERENCES ciclos(id),
    diagnostico INTEGER NOT NULL CHECK (diagnostico >= 1),
    version     INTEGER NOT NULL CHECK (version >= 1),
    anterior    TEXT    UNIQUE REFERENCES pactos(id),
    creado_por  TEXT    NOT NULL,
    creado_ms   INTEGER NOT NULL,
    CHECK ((version = 1) = (anterior IS NULL)),
    FOREIGN KEY (barrio_id, diagnostico) REFERENCES diagnosticos(barrio_id, number)
);
CREATE INDEX pactos_by_barrio ON pactos(barrio_id, creado_ms);

-- Each save of a pacto: its whole content as the app's JSON (`PactoContenido`), numbered
-- 1, 2, 3… in order. The highest is the pacto.
CREATE TABLE pacto_revisiones (
    pacto_id  TEXT    NOT NULL REFERENCES pactos(id),
    revision  INTEGER NOT NULL CHECK (revision >= 1),
    contenido TEXT    NOT NULL,
    por       TEXT    NOT NULL,
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (pacto_id, revision)
) WITHOUT ROWID;

-- The signing: of the latest revision, once, with the registro of paso 4 that keeps its scan.
CREATE TABLE pacto_firmas (
    pacto_id    TEXT    PRIMARY KEY REFERENCES pactos(id),
    revision    INTEGER NOT NULL,
    registro_id TEXT    NOT NULL REFERENCES registros(id),
    fecha       TEXT    NOT NULL,
    por         TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    FOREIGN KEY (pacto_id, revision) REFERENCES pacto_revisiones(pacto_id, revision)
);

-- The signed revision's compromisos as rows, written with the signing, so that an
-- institution's compromisos are one indexed query. `compromiso_id` is kept across otrosíes.
CREATE TABLE pacto_compromisos (
    pacto_id      TEXT    NOT NULL REFERENCES pacto_firmas(pacto_id),
    compromiso_id TEXT    NOT NULL,
    responsable   TEXT    NOT NULL,
    que           TEXT    NOT NULL,
    hotspot_id    TEXT,
    lugar         TEXT    NOT NULL,
    fecha_limite  TEXT    NOT NULL,
    indicador     TEXT    NOT NULL,
    solucion_id   TEXT,
    PRIMARY KEY (pacto_id, compromiso_id)
) WITHOUT ROWID;
CREATE INDEX pacto_compromisos_by_responsable ON pacto_compromisos(responsable, fecha_limite);

-- Every status change of a signed compromiso, in order; the latest of its lineage (the pacto
-- and its otrosíes) is in force.
CREATE TABLE compromiso_estados (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    pacto_id      TEXT    NOT NULL,
    compromiso_id TEXT    NOT NULL,
    estado        TEXT    NOT NULL CHECK (estado IN ('pendiente', 'en_curso', 'cumplido', 'incumplido', 'cancelado')),
    motivo        TEXT    NOT NULL,
    evidencia     TEXT    NOT NULL,
    registro_id   TEXT    REFERENCES registros(id),
    por           TEXT    NOT NULL,
    at_ms         INTEGER NOT NULL,
    FOREIGN KEY (pacto_id, compromiso_id) REFERENCES pacto_compromisos(pacto_id, compromiso_id)
);
CREATE INDEX compromiso_estados_by_compromiso ON compromiso_estados(compromiso_id, seq);
CREATE INDEX compromiso_estados_by_pacto ON compromiso_estados(pacto_id, seq);

-- What of a signed pacto staff published (`PactoPublicado`, statuses filled in when read);
-- the newest of a barrio is in force.
CREATE TABLE pacto_publicaciones (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    barrio_id INTEGER NOT NULL REFERENCES barrios(id),
    pacto_id  TEXT    NOT NULL REFERENCES pacto_firmas(pacto_id),
    contenido TEXT    NOT NULL,
    por       TEXT    NOT NULL,
    at_ms     INTEGER NOT NULL
);
CREATE INDEX pacto_publicaciones_by_barrio ON pacto_publicaciones(barrio_id, seq);

-- The rules the store checks first, kept by the database whatever writes to it.
CREATE TRIGGER pactos_one_unsigned_per_barrio BEFORE INSERT ON pactos
WHEN EXISTS (SELECT 1 FROM pactos p WHERE p.barrio_id = NEW.barrio_id
             AND NOT EXISTS (SELECT 1 FROM pacto_firmas f WHERE f.pacto_id = p.id))
BEGIN SELECT RAISE(ABORT, 'the barrio already has an unsigned pacto'); END;
CREATE TRIGGER pactos_otrosi_of_a_signed_pacto BEFORE INSERT ON pactos
WHEN NEW.anterior IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pacto_firmas WHERE pacto_id = NEW.anterior)
BEGIN SELECT RAISE(ABORT, 'an otrosí amends a signed pacto'); END;
CREATE TRIGGER pacto_revisiones_of_a_signed_pacto BEFORE INSERT ON pacto_revisiones
WHEN EXISTS (SELECT 1 FROM pacto_firmas WHERE pacto_id = NEW.pacto_id)
BEGIN SELECT RAISE(ABORT, 'a signed pacto is immutable'); END;
CREATE TRIGGER pacto_revisiones_in_order BEFORE INSERT ON pacto_revisiones
WHEN NEW.revision <> (SELECT COALESCE(MAX(revision), 0) + 1 FROM pacto_revisiones WHERE pacto_id = NEW.pacto_id)
BEGIN SELECT RAISE(ABORT, 'revisions are numbered in order'); END;
CREATE TRIGGER pacto_firmas_of_the_latest_revision BEFORE INSERT ON pacto_firmas
WHEN NEW.revision <> (SELECT COALESCE(MAX(revision), 0) FROM pacto_revisiones WHERE pacto_id = NEW.pacto_id)
BEGIN SELECT RAISE(ABORT, 'only the latest revision is signed'); END;
CREATE TRIGGER pacto_compromisos_of_a_signed_pacto BEFORE INSERT ON pacto_compromisos
WHEN NOT EXISTS (SELECT 1 FROM pacto_firmas WHERE pacto_id = NEW.pacto_id)
BEGIN SELECT RAISE(ABORT, 'only a signed pacto has compromisos'); END;
CREATE TRIGGER compromiso_estados_of_a_signed_compromiso BEFORE INSERT ON compromiso_estados
WHEN NOT EXISTS (SELECT 1 FROM pacto_compromisos WHERE pacto_id = NEW.pacto_id AND compromiso_id = NEW.compromiso_id)
BEGIN SELECT RAISE(ABORT, 'a status change is of a compromiso of a signed pacto'); END;

CREATE TRIGGER instituciones_are_immutable BEFORE UPDATE ON instituciones
BEGIN SELECT RAISE(ABORT, 'an institution is immutable: add a version'); END;
CREATE TRIGGER instituciones_are_kept BEFORE DELETE ON instituciones
BEGIN SELECT RAISE(ABORT, 'an institution is kept'); END;
CREATE TRIGGER pactos_are_immutable BEFORE UPDATE ON pactos
BEGIN SELECT RAISE(ABORT, 'a pacto is immutable: save a revision or make an otrosí'); END;
CREATE TRIGGER pactos_are_kept BEFORE DELETE ON pactos
BEGIN SELECT RAISE(ABORT, 'a pacto is kept'); END;
CREATE TRIGGER pacto_revisiones_are_immutable BEFORE UPDATE ON pacto_revisiones
BEGIN SELECT RAISE(ABORT, 'a revision is immutable: save another'); END;
CREATE TRIGGER pacto_revisiones_are_kept BEFORE DELETE ON pacto_revisiones
BEGIN SELECT RAISE(ABORT, 'a revision is kept'); END;
CREATE TRIGGER pacto_firmas_are_immutable BEFORE UPDATE ON pacto_firmas
BEGIN SELECT RAISE(ABORT, 'a signing is immutable'); END;
CREATE TRIGGER pacto_firmas_are_kept BEFORE DELETE ON pacto_firmas
BEGIN SELECT RAISE(ABORT, 'a signing is kept'); END;
CREATE TRIGGER pacto_compromisos_are_immutable BEFORE UPDATE ON pacto_compromisos
BEGIN SELECT RAISE(ABORT, 'a signed compromiso is immutable: make an otrosí'); END;
CREATE TRIGGER pacto_compromisos_are_kept BEFORE DELETE ON pacto_compromisos
BEGIN SELECT RAISE(ABORT, 'a signed compromiso is kept'); END;
CREATE TRIGGER compromiso_estados_are_immutable BEFORE UPDATE ON compromiso_estados
BEGIN SELECT RAISE(ABORT, 'a status change is immutable: append another'); END;
CREATE TRIGGER compromiso_estados_are_kept BEFORE DELETE ON compromiso_estados
BEGIN SELECT RAISE(ABORT, 'a status change is kept'); END;
CREATE TRIGGER pacto_publicaciones_are_immutable BEFORE UPDATE ON pacto_publicaciones
BEGIN SELECT RAISE(ABORT, 'a publication is immutable: publish again'); END;
CREATE TRIGGER pacto_publicaciones_are_kept BEFORE DELETE ON pacto_publicaciones
BEGIN SELECT RAISE(ABORT, 'a publication is kept'); END;
