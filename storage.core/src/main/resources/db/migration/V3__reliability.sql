-- Spindle schema, version 3 (reliability). Portable SQL: runs on H2 2.x and PostgreSQL 12+.

-- Who runs a volume's operation in flight and until when: the node ("<node id>@<run>") and the lease's end
-- in seconds since the epoch, by the database's clock (so nodes' clocks need not agree). Once it has
-- passed, any node may recover the operation; the row version is the fencing token.
ALTER TABLE volume ADD COLUMN op_node VARCHAR(128);
ALTER TABLE volume ADD COLUMN op_lease_until BIGINT;
-- What the operation in flight is for, where the row's own columns cannot say it yet: the size a
-- RESIZING volume grows to.
ALTER TABLE volume ADD COLUMN op_size BIGINT;
CREATE INDEX volume_op_lease ON volume (op_lease_until);

-- What a reconciliation pass found on a SAN or a hypervisor that no volume row accounts for, so that any node
-- can tell how long it has been there and remove it after the grace period.
CREATE TABLE orphan (
    kind        VARCHAR(32)   NOT NULL,
    place       VARCHAR(255)  NOT NULL,
    ref         VARCHAR(512)  NOT NULL,
    volume_id   VARCHAR(36)   NOT NULL,
    detail      VARCHAR(1024) NOT NULL,
    first_seen  TIMESTAMP     NOT NULL,
    last_seen   TIMESTAMP     NOT NULL,
    PRIMARY KEY (kind, place, ref)
);
