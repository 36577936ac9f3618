-- Published diagnósticos ("editado por seguridad", issue 9): what the public page of a barrio
-- shows, exactly as staff approved it. A publication is never changed or deleted; withdrawing
-- it only dates its end, once. The public page shows a barrio's newest one in force.

CREATE TABLE publications (
    barrio_id           INTEGER NOT NULL REFERENCES barrios(id),
    -- 1, 2, 3… per barrio.
    number              INTEGER NOT NULL CHECK (number >= 1),
    diagnostico_number  INTEGER NOT NULL,
    published_at_ms     INTEGER NOT NULL,
    -- The account that approved it (staff only see this; the public content names no one).
    approved_by         INTEGER NOT NULL REFERENCES users(id),
    withdrawn_at_ms     INTEGER,
    withdrawn_by        INTEGER REFERENCES users(id),
    -- The Publication as JSON: all the public will ever read of it.
    content             TEXT    NOT NULL,
    PRIMARY KEY (barrio_id, number),
    FOREIGN KEY (barrio_id, diagnostico_number) REFERENCES diagnosticos(barrio_id, number)
);
CREATE TRIGGER publications_change_only_to_withdraw BEFORE UPDATE ON publications
WHEN OLD.withdrawn_at_ms IS NOT NULL
  OR NEW.withdrawn_at_ms IS NULL
  OR NEW.barrio_id IS NOT OLD.barrio_id
  OR NEW.number IS NOT OLD.number
  OR NEW.diagnostico_number IS NOT OLD.diagnostico_number
  OR NEW.published_at_ms IS NOT OLD.published_at_ms
  OR NEW.approved_by IS NOT OLD.approved_by
  OR NEW.content IS NOT OLD.content
BEGIN
    SELECT RAISE(ABORT, 'a publication is immutable; it can only be withdrawn, once');
END;
CREATE TRIGGER publications_are_kept BEFORE DELETE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a publication is kept');
END;
