-- Who drew a mark, by the alias chosen on the device (never a real name). Marks sent before
-- aliases existed keep an empty one.
ALTER TABLE marks ADD COLUMN alias TEXT NOT NULL DEFAULT '';
