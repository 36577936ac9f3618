-- Who prepared each workshop (issue 18): its devices' tokens are worth something only while
-- that account is enabled and still works in the workshop's barrio. Workshops prepared
-- before this migration get their preparer from the audit log, where each one was written.
ALTER TABLE workshops ADD COLUMN prepared_by INTEGER REFERENCES users(id);
UPDATE workshops SET prepared_by = (
    SELECT a.user_id FROM audit_log a
    WHERE a.action = 'workshop_create' AND a.target = workshops.id AND a.user_id IS NOT NULL
    ORDER BY a.seq LIMIT 1
);
