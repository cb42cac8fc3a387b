-- Spindle schema, version 6 (look-ups that stay fast at 100,000 volumes). Portable SQL: H2 2.x and PostgreSQL 12+.

-- volume-show by name (destroyed volumes keep their name, so live_name's unique index does not serve it)
CREATE INDEX volume_name ON volume (name, created);
-- pages filtered by state or pool, in page order
CREATE INDEX volume_state_page ON volume (state, created, id);
CREATE INDEX volume_pool_page ON volume (pool, created, id);
-- a pool's live volumes and its capacity promised to volumes not on the SAN yet, from the index alone
CREATE INDEX volume_pool_live ON volume (pool, live_name);
CREATE INDEX volume_pool_state ON volume (pool, state, size_bytes, p_min_iops);
