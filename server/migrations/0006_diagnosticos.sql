-- Diagnósticos (issue 7): numbered, immutable snapshots of a barrio's merge, and the staff's
-- review of marks (a rejected mark stays stored, with its reason, and is left out of the
-- next diagnóstico). Nothing here is ever updated or deleted: a change is a new row.

CREATE TABLE diagnosticos (
    barrio_id       INTEGER NOT NULL REFERENCES barrios(id),
    -- 1, 2, 3… per barrio, in the order they were generated.
    number          INTEGER NOT NULL CHECK (number >= 1),
    created_at_ms   INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    engine_version  INTEGER NOT NULL,
    -- The Diagnostico as JSON, exactly as the engine produced it (its params included).
    snapshot        TEXT    NOT NULL,
    -- Its totals as JSON, so the list of a barrio's diagnósticos reads no snapshot.
    totals          TEXT    NOT NULL,
    PRIMARY KEY (barrio_id, number)
);
CREATE TRIGGER diagnosticos_are_immutable BEFORE UPDATE ON diagnosticos
BEGIN
    SELECT RAISE(ABORT, 'a diagnóstico is immutable');
END;
CREATE TRIGGER diagnosticos_are_kept BEFORE DELETE ON diagnosticos
BEGIN
    SELECT RAISE(ABORT, 'a diagnóstico is kept');
END;

-- Every review decision on a mark, in order; the latest one is in force.
CREATE TABLE mark_reviews (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    mark_id     TEXT    NOT NULL,
    barrio_id   INTEGER NOT NULL REFERENCES barrios(id),
    action      TEXT    NOT NULL CHECK (action IN ('reject', 'restore')),
    reason      TEXT    NOT NULL,
    reviewer    TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL
);
CREATE INDEX mark_reviews_by_mark ON mark_reviews(mark_id, seq);
CREATE INDEX mark_reviews_by_barrio ON mark_reviews(barrio_id, seq);
