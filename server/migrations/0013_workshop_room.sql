-- The facilitator's view of the room (issue 19): what each device last said was waiting on
-- it, kept on its token (NULL until it says: devices from before this report nothing), and
-- the indexes that let a workshop's counts read only that workshop's rows.
ALTER TABLE device_tokens ADD COLUMN pending_changes INTEGER;
ALTER TABLE device_tokens ADD COLUMN refused_changes INTEGER;
ALTER TABLE device_tokens ADD COLUMN reported_at_ms INTEGER;

-- Covering: marks per category, causes and solutions of one workshop, without the rows.
CREATE INDEX marks_by_workshop ON marks(workshop_id, deleted, category);
CREATE INDEX causes_by_workshop ON causes(workshop_id, deleted);
CREATE INDEX solutions_by_workshop ON solutions(workshop_id, deleted);
