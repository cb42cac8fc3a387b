-- Spindle schema, version 1. Portable SQL: runs on H2 2.x and PostgreSQL 12+.
-- QoS values are columns (not blobs) so that usage and billing can query them; 0 means "not set".

CREATE TABLE pool (
    name              VARCHAR(64)   NOT NULL PRIMARY KEY,
    zone              VARCHAR(64)   NOT NULL,
    tags              VARCHAR(1024) NOT NULL,
    protocol          VARCHAR(32)   NOT NULL,
    managed           BOOLEAN       NOT NULL,
    driver_type       VARCHAR(64)   NOT NULL,
    capacity_bytes    BIGINT        NOT NULL,
    provisioned_bytes BIGINT        NOT NULL,
    capacity_iops     BIGINT        NOT NULL,
    provisioned_iops  BIGINT        NOT NULL,
    created           TIMESTAMP     NOT NULL,
    updated           TIMESTAMP     NOT NULL
);

CREATE TABLE offering (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    description VARCHAR(1024) NOT NULL,
    tags        VARCHAR(1024) NOT NULL,
    custom_iops BOOLEAN       NOT NULL,
    q_min_iops BIGINT NOT NULL, q_max_iops BIGINT NOT NULL, q_burst_iops BIGINT NOT NULL,
    q_read_iops BIGINT NOT NULL,  q_read_iops_max BIGINT NOT NULL,  q_read_iops_len BIGINT NOT NULL,
    q_write_iops BIGINT NOT NULL, q_write_iops_max BIGINT NOT NULL, q_write_iops_len BIGINT NOT NULL,
    q_total_iops BIGINT NOT NULL, q_total_iops_max BIGINT NOT NULL, q_total_iops_len BIGINT NOT NULL,
    q_read_bps BIGINT NOT NULL,   q_read_bps_max BIGINT NOT NULL,   q_read_bps_len BIGINT NOT NULL,
    q_write_bps BIGINT NOT NULL,  q_write_bps_max BIGINT NOT NULL,  q_write_bps_len BIGINT NOT NULL,
    q_total_bps BIGINT NOT NULL,  q_total_bps_max BIGINT NOT NULL,  q_total_bps_len BIGINT NOT NULL,
    created     TIMESTAMP     NOT NULL
);

CREATE TABLE volume (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    name           VARCHAR(64)  NOT NULL,
    -- equals name while the volume is not destroyed, NULL after: names are unique among live volumes
    live_name      VARCHAR(64)  UNIQUE,
    tenant         VARCHAR(64)  NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    offering       VARCHAR(64)  NOT NULL,
    pool           VARCHAR(64)  NOT NULL REFERENCES pool (name),
    state          VARCHAR(16)  NOT NULL,
    -- the stable state an in-flight operation started from: where a restart rolls back to
    previous_state VARCHAR(16),
    version        BIGINT       NOT NULL,
    -- requested QoS
    q_min_iops BIGINT NOT NULL, q_max_iops BIGINT NOT NULL, q_burst_iops BIGINT NOT NULL,
    q_read_iops BIGINT NOT NULL,  q_read_iops_max BIGINT NOT NULL,  q_read_iops_len BIGINT NOT NULL,
    q_write_iops BIGINT NOT NULL, q_write_iops_max BIGINT NOT NULL, q_write_iops_len BIGINT NOT NULL,
    q_total_iops BIGINT NOT NULL, q_total_iops_max BIGINT NOT NULL, q_total_iops_len BIGINT NOT NULL,
    q_read_bps BIGINT NOT NULL,   q_read_bps_max BIGINT NOT NULL,   q_read_bps_len BIGINT NOT NULL,
    q_write_bps BIGINT NOT NULL,  q_write_bps_max BIGINT NOT NULL,  q_write_bps_len BIGINT NOT NULL,
    q_total_bps BIGINT NOT NULL,  q_total_bps_max BIGINT NOT NULL,  q_total_bps_len BIGINT NOT NULL,
    -- planned QoS: storage side and hypervisor side
    p_min_iops BIGINT NOT NULL, p_max_iops BIGINT NOT NULL, p_burst_iops BIGINT NOT NULL,
    p_read_iops BIGINT NOT NULL,  p_read_iops_max BIGINT NOT NULL,  p_read_iops_len BIGINT NOT NULL,
    p_write_iops BIGINT NOT NULL, p_write_iops_max BIGINT NOT NULL, p_write_iops_len BIGINT NOT NULL,
    p_total_iops BIGINT NOT NULL, p_total_iops_max BIGINT NOT NULL, p_total_iops_len BIGINT NOT NULL,
    p_read_bps BIGINT NOT NULL,   p_read_bps_max BIGINT NOT NULL,   p_read_bps_len BIGINT NOT NULL,
    p_write_bps BIGINT NOT NULL,  p_write_bps_max BIGINT NOT NULL,  p_write_bps_len BIGINT NOT NULL,
    p_total_bps BIGINT NOT NULL,  p_total_bps_max BIGINT NOT NULL,  p_total_bps_len BIGINT NOT NULL,
    -- effective QoS, for usage and billing
    e_guaranteed_iops BIGINT NOT NULL, e_max_iops BIGINT NOT NULL, e_burst_iops BIGINT NOT NULL, e_max_bps BIGINT NOT NULL,
    san_id           VARCHAR(128),
    target_protocol  VARCHAR(32),
    target_portals   VARCHAR(1024),
    target_name      VARCHAR(512),
    target_lun       INTEGER,
    attach_vm        VARCHAR(128),
    attach_host      VARCHAR(128),
    attach_device    VARCHAR(256),
    attach_structure VARCHAR(512),
    attach_managed   BOOLEAN,
    error            VARCHAR(2048),
    created          TIMESTAMP    NOT NULL,
    updated          TIMESTAMP    NOT NULL
);

CREATE INDEX volume_pool ON volume (pool);
CREATE INDEX volume_state ON volume (state);
