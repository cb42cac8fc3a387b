-- Spindle schema, version 4 (QoS that stays true, usage, pages). Portable SQL: runs on H2 2.x and PostgreSQL 12+.

-- What the SAN and the hypervisor reported they enforce (read back after every change and by the QoS audit),
-- with when they were last read (NULL: never, a volume stored before version 4); the effective QoS is computed
-- from these.
ALTER TABLE volume ADD COLUMN a_min_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_max_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_burst_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_iops_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_iops_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_iops_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_iops_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_iops BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_iops_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_iops_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_bps BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_bps_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_bps_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_bps BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_bps_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_write_bps_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_bps BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_bps_max BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_total_bps_len BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_weight INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN a_read_at TIMESTAMP;
-- Where a side differed from the plan at the last QoS audit: one line per value, side|field|expected|found.
ALTER TABLE volume ADD COLUMN drift VARCHAR(4000);

-- Pages of volumes, oldest first, and their filters.
CREATE INDEX volume_page ON volume (created, id);
CREATE INDEX volume_tenant ON volume (tenant, created, id);

-- Usage for billing. One row per volume and period: the milliseconds the volume existed in it, the integrals
-- over time of its size and effective IOPS (averages are these divided by millis), and the I/O done.
CREATE TABLE usage_period (
    volume_id        VARCHAR(36) NOT NULL,
    period_start     TIMESTAMP   NOT NULL,
    period_end       TIMESTAMP   NOT NULL,
    millis           BIGINT      NOT NULL,
    byte_millis      DECIMAL(38) NOT NULL,
    guaranteed_iops_millis BIGINT NOT NULL,
    max_iops_millis  BIGINT      NOT NULL,
    burst_iops_millis BIGINT     NOT NULL,
    read_ops         BIGINT      NOT NULL,
    write_ops        BIGINT      NOT NULL,
    read_bytes       BIGINT      NOT NULL,
    write_bytes      BIGINT      NOT NULL,
    PRIMARY KEY (volume_id, period_start)
);
CREATE INDEX usage_period_start ON usage_period (period_start);

-- The last sample of each live volume: when, which counter it read (the hypervisor disk or the SAN volume; a
-- different source starts a new baseline), the counters, and the size and effective QoS in force since then.
CREATE TABLE usage_cursor (
    volume_id      VARCHAR(36)  NOT NULL PRIMARY KEY,
    sampled_at     TIMESTAMP    NOT NULL,
    source         VARCHAR(512) NOT NULL,
    read_ops       BIGINT       NOT NULL,
    write_ops      BIGINT       NOT NULL,
    read_bytes     BIGINT       NOT NULL,
    write_bytes    BIGINT       NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    guaranteed_iops BIGINT      NOT NULL,
    max_iops       BIGINT       NOT NULL,
    burst_iops     BIGINT       NOT NULL
);
