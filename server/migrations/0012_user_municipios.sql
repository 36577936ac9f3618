-- The cities an account works in (issue 18): staff of Santa Marta see Santa Marta's barrios,
-- not Barranquilla's, in one deployment. An account with no line here works in every city,
-- which keeps every account made before this migration as it was.
CREATE TABLE user_municipios (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    municipio  TEXT    NOT NULL CHECK (length(municipio) = 5 AND municipio NOT GLOB '*[^0-9]*'),
    PRIMARY KEY (user_id, municipio)
);
CREATE INDEX barrios_by_municipio ON barrios(municipio, id);
