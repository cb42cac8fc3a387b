-- Spindle schema, version 8. What a pool promised to its volumes not on the SAN yet (ALLOCATED, CREATING: their
-- bytes and guaranteed IOPS) and how many live volumes it holds, kept on the pool row: a create and a pool listing
-- read one row instead of summing or counting every volume of the pool. The store changes them in the same
-- transaction as every insert and update of a volume row that moves them (JdbcStore.update, PoolRows.count).
-- Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE pool ADD COLUMN pending_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE pool ADD COLUMN pending_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE pool ADD COLUMN live_volumes BIGINT DEFAULT 0 NOT NULL;

UPDATE pool SET
    pending_bytes = (SELECT COALESCE(SUM(v.size_bytes), 0) FROM volume v
                     WHERE v.pool = pool.name AND v.state IN ('ALLOCATED', 'CREATING')),
    pending_iops  = (SELECT COALESCE(SUM(v.p_min_iops), 0) FROM volume v
                     WHERE v.pool = pool.name AND v.state IN ('ALLOCATED', 'CREATING')),
    live_volumes  = (SELECT COUNT(*) FROM volume v WHERE v.pool = pool.name AND v.live_name IS NOT NULL);

-- version 6 made these for the sum and the count alone; every volume write paid for them
DROP INDEX volume_pool_live;
DROP INDEX volume_pool_state;
