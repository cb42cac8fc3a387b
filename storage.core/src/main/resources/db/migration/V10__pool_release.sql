-- Spindle schema, version 10. What volumes give back to their pool's counts (a volume created on the SAN stops
-- being promised; a destroyed one stops being live) is added to one of a few stripe rows per pool instead of the pool
-- row: releases never need the pool row's lock, which creates and growths take to check capacity (a thousand
-- first attaches at once otherwise queue on that one row, each holding it until its commit). A pool's counts are its
-- row's plus the sum of its stripes; releases only lower them, so a check under the pool row's lock that misses one
-- still in flight errs on the safe side. Portable SQL: H2 2.x and PostgreSQL 12+.
CREATE TABLE pool_release (
    pool          VARCHAR(64)  NOT NULL,
    stripe        INT          NOT NULL,
    pending_bytes BIGINT       DEFAULT 0 NOT NULL,
    pending_iops  BIGINT       DEFAULT 0 NOT NULL,
    live_volumes  BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (pool, stripe)
);
INSERT INTO pool_release (pool, stripe) SELECT name, 0 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 1 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 2 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 3 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 4 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 5 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 6 FROM pool;
INSERT INTO pool_release (pool, stripe) SELECT name, 7 FROM pool;
