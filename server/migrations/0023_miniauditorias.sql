-- Miniauditorías (paso 6, issue 25): sessions with the CBSC in the barrio, as numbered
-- versions like the fichas. A version is immutable; the highest is the miniauditoría; the
-- version that closes it is the last one. Closing writes the statuses the group found into
-- `compromiso_estados` and its immediate measures into `pacto_compromisos`, in the same
-- transaction.
CREATE TABLE miniauditoria_versions (
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    barrio_id      INTEGER NOT NULL REFERENCES barrios(id),
    diagnostico    INTEGER NOT NULL CHECK (diagnostico >= 1),
    fecha          TEXT    NOT NULL,
    cerrada        INTEGER NOT NULL DEFAULT 0 CHECK (cerrada IN (0, 1)),
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    -- The whole version as the app's JSON (`app::model::miniauditoria::Miniauditoria`).
    body           TEXT    NOT NULL,
    author_user_id INTEGER REFERENCES users(id),
    author         TEXT    NOT NULL,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (id, version),
    FOREIGN KEY (barrio_id, diagnostico) REFERENCES diagnosticos(barrio_id, number)
);
CREATE INDEX miniauditoria_versions_by_barrio ON miniauditoria_versions(barrio_id, fecha);

CREATE TRIGGER miniauditoria_versions_are_immutable BEFORE UPDATE ON miniauditoria_versions
BEGIN SELECT RAISE(ABORT, 'a miniauditoría version is immutable: write the next one'); END;
CREATE TRIGGER miniauditoria_versions_are_kept BEFORE DELETE ON miniauditoria_versions
BEGIN SELECT RAISE(ABORT, 'a miniauditoría version is kept'); END;
CREATE TRIGGER miniauditoria_closed_is_last BEFORE INSERT ON miniauditoria_versions
WHEN EXISTS (SELECT 1 FROM miniauditoria_versions WHERE id = NEW.id AND cerrada = 1)
BEGIN SELECT RAISE(ABORT, 'a closed miniauditoría is final'); END;

-- An immediate measure is a compromiso of the pacto in force when its miniauditoría closed,
-- named here; it stays in the follow-up when an otrosí replaces that pacto.
ALTER TABLE pacto_compromisos ADD COLUMN miniauditoria_id TEXT;
