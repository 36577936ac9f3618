-- Staff's decisions on photos and voice notes: whether each goes in the printed report's
-- annex and whether it may be published. Appended, never changed: the latest row of a file
-- holds, and the earlier ones are its history (who decided what, and when).
CREATE TABLE media_decisions (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    media_id       TEXT    NOT NULL REFERENCES media(id),
    in_report      INTEGER NOT NULL CHECK (in_report IN (0, 1)),
    publish        INTEGER NOT NULL CHECK (publish IN (0, 1)),
    account_id     INTEGER NOT NULL REFERENCES users(id),
    decided_at_ms  INTEGER NOT NULL
);
-- The latest decision of a file is the one of its highest `seq`.
CREATE INDEX media_decisions_by_media ON media_decisions(media_id, seq);

CREATE TRIGGER media_decisions_are_immutable BEFORE UPDATE ON media_decisions
BEGIN
    SELECT RAISE(ABORT, 'a media decision is immutable: append another');
END;
CREATE TRIGGER media_decisions_are_kept BEFORE DELETE ON media_decisions
BEGIN
    SELECT RAISE(ABORT, 'a media decision is kept');
END;
