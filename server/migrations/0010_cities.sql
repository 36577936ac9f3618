-- Several cities in one deployment: a barrio belongs to a municipio (its DIVIPOLA code, 5
-- digits), and its code is unique only within it, so Barranquilla's `el-prado` is another
-- barrio than Santa Marta's. Every barrio stored before is Santa Marta's (47001).
-- SQLite cannot drop the old UNIQUE(code), so the table is rebuilt with the same ids (the
-- store runs migrations with foreign keys off, then checks them).
CREATE TABLE barrios_cities (
    id          INTEGER PRIMARY KEY,
    municipio   TEXT    NOT NULL DEFAULT '47001'
                CHECK (length(municipio) = 5 AND municipio NOT GLOB '*[^0-9]*'),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    comuna      TEXT,
    boundary    TEXT    NOT NULL,
    min_lon     REAL    NOT NULL,
    min_lat     REAL    NOT NULL,
    max_lon     REAL    NOT NULL,
    max_lat     REAL    NOT NULL,
    area_ha     REAL    NOT NULL,
    source      TEXT    NOT NULL,
    UNIQUE (municipio, code)
);
INSERT INTO barrios_cities (id, municipio, code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source)
    SELECT id, '47001', code, name, comuna, boundary, min_lon, min_lat, max_lon, max_lat, area_ha, source FROM barrios;
DROP TABLE barrios;
ALTER TABLE barrios_cities RENAME TO barrios;
