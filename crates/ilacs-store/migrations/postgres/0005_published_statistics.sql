-- ilacs schema, version 5 (postgres): published statistics.
--
-- One row per indicator, area and year, read from DfE's files (ilacs_import::published).
-- `area_level` is england, region or la; `area_code` is E92000001, the region's area
-- code, or the LA's three-digit code. `value` is the number as published or DfE's
-- symbol for a figure withheld or not applicable (c, k, low, u, x, z): a symbol is
-- never stored as a zero. An import replaces the whole set in one transaction.

CREATE TABLE published_values (
    indicator TEXT NOT NULL,
    area_level TEXT NOT NULL,
    area_code TEXT NOT NULL,
    time_period TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (indicator, area_level, area_code, time_period)
);
-- An LA's page reads its own, its neighbours', its region's and England's values.
CREATE INDEX published_values_area ON published_values (area_level, area_code);

-- Each import: when, by whom, and what it changed.
CREATE TABLE published_imports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    added BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    unchanged BIGINT NOT NULL
);

-- The files each import read, with their data rows and the values taken from them.
CREATE TABLE published_import_files (
    import_id BIGINT NOT NULL REFERENCES published_imports (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    values_read BIGINT NOT NULL,
    PRIMARY KEY (import_id, position)
);
