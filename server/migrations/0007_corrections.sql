-- Staff corrections to the merge (issue 7): joins and separations of hotspots, their
-- cancellations, and notes on hotspots. Like reviews, nothing here is updated or deleted:
-- undoing a correction is a cancellation row, and a new note never replaces an old one.

CREATE TABLE hotspot_adjustments (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    barrio_id   INTEGER NOT NULL REFERENCES barrios(id),
    action      TEXT    NOT NULL CHECK (action IN ('join', 'separate')),
    -- The mark ids as a JSON array, sorted.
    mark_ids    TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    reviewer    TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL
);
CREATE INDEX hotspot_adjustments_by_barrio ON hotspot_adjustments(barrio_id, seq);

CREATE TABLE adjustment_cancellations (
    adjustment_seq INTEGER PRIMARY KEY REFERENCES hotspot_adjustments(seq),
    reviewer       TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    at_ms          INTEGER NOT NULL
);

CREATE TABLE hotspot_notes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    barrio_id    INTEGER NOT NULL REFERENCES barrios(id),
    diagnostico  INTEGER NOT NULL,
    hotspot_id   TEXT    NOT NULL,
    -- The hotspot's marks when the note was written, a sorted JSON array.
    mark_ids     TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    author       TEXT    NOT NULL,
    at_ms        INTEGER NOT NULL,
    FOREIGN KEY (barrio_id, diagnostico) REFERENCES diagnosticos(barrio_id, number)
);
CREATE INDEX hotspot_notes_by_barrio ON hotspot_notes(barrio_id, seq);

CREATE TRIGGER hotspot_adjustments_are_immutable BEFORE UPDATE ON hotspot_adjustments
BEGIN
    SELECT RAISE(ABORT, 'a correction is immutable: cancel it instead');
END;
CREATE TRIGGER hotspot_adjustments_are_kept BEFORE DELETE ON hotspot_adjustments
BEGIN
    SELECT RAISE(ABORT, 'a correction is kept');
END;
CREATE TRIGGER adjustment_cancellations_are_kept BEFORE UPDATE ON adjustment_cancellations
BEGIN
    SELECT RAISE(ABORT, 'a cancellation is immutable');
END;
CREATE TRIGGER adjustment_cancellations_are_not_deleted BEFORE DELETE ON adjustment_cancellations
BEGIN
    SELECT RAISE(ABORT, 'a cancellation is kept');
END;
CREATE TRIGGER hotspot_notes_are_immutable BEFORE UPDATE ON hotspot_notes
BEGIN
    SELECT RAISE(ABORT, 'a note is immutable');
END;
CREATE TRIGGER hotspot_notes_are_kept BEFORE DELETE ON hotspot_notes
BEGIN
    SELECT RAISE(ABORT, 'a note is kept');
END;
