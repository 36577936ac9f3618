-- Accounts and access (issue 8): staff, facilitator and admin accounts with argon2 password
-- hashes, the barrios a facilitator works in, browser sessions, the tokens of devices that
-- joined a workshop, workshops that close, and the audit log of staff and admin actions.
-- Tokens are stored as their SHA-256: a copy of the database does not let anyone sign in.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'facilitator')),
    password_hash  TEXT    NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at_ms  INTEGER NOT NULL
);

CREATE TABLE user_barrios (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    barrio_id  INTEGER NOT NULL REFERENCES barrios(id),
    PRIMARY KEY (user_id, barrio_id)
);

CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id),
    csrf_token     TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    last_seen_ms   INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- A device's token for one workshop: a participant's (from the join code) or the tablet of a
-- facilitator who prepared or opened the workshop there.
CREATE TABLE device_tokens (
    token_hash     TEXT    PRIMARY KEY,
    workshop_id    TEXT    NOT NULL REFERENCES workshops(id),
    device_id      TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('participant', 'facilitator')),
    user_id        INTEGER REFERENCES users(id),
    issued_at_ms   INTEGER NOT NULL
);
CREATE INDEX device_tokens_by_workshop ON device_tokens(workshop_id);

ALTER TABLE workshops ADD COLUMN closed_at_ms INTEGER;
ALTER TABLE workshops ADD COLUMN share_sensitive INTEGER NOT NULL DEFAULT 0;

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms     INTEGER NOT NULL,
    user_id   INTEGER REFERENCES users(id),
    username  TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL DEFAULT '',
    detail    TEXT    NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_is_immutable BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_is_kept BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is kept');
END;
