-- Spindle schema, version 2 (Contracts 1.0). Portable SQL: runs on H2 2.x and PostgreSQL 12+.

-- A weight (0 = the hypervisor's default, 1..1000) beside the hypervisor limits: asked for by an offering,
-- asked for by a volume, and planned for the hypervisor it is attached through.
ALTER TABLE offering ADD COLUMN q_weight INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN q_weight INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE volume ADD COLUMN p_weight INTEGER DEFAULT 0 NOT NULL;

-- The LUN's SCSI device identifier (naa./eui./t10. + hex), when the SAN reports it.
-- target_portals now holds Portal.toString() values joined by ',' ("host:port", "[v6]:port").
ALTER TABLE volume ADD COLUMN target_device_id VARCHAR(80);

-- The attach service every later call goes to (hypervisor.service) and the VM's stable id; VM and host
-- names as hypervisors show them (they may contain spaces), up to 255 characters.
ALTER TABLE volume ADD COLUMN attach_service VARCHAR(255);
ALTER TABLE volume ADD COLUMN attach_vm_id VARCHAR(255);
ALTER TABLE volume ALTER COLUMN attach_vm SET DATA TYPE VARCHAR(255);
ALTER TABLE volume ALTER COLUMN attach_host SET DATA TYPE VARCHAR(255);

-- The host group the SAN gave access to the volume (name = the attach service's identity) and its
-- initiators joined by ',', exactly as granted: detach and delete revoke exactly these.
ALTER TABLE volume ADD COLUMN granted_group VARCHAR(255);
ALTER TABLE volume ADD COLUMN granted_initiators VARCHAR(16000);

-- Attachments made before version 2 were routed by host: the host stands for the service, the VM name for
-- its id. Their initiators were not recorded, so no group is known for them.
UPDATE volume SET attach_service = COALESCE(attach_host, attach_vm), attach_vm_id = attach_vm WHERE attach_vm IS NOT NULL;

CREATE INDEX volume_attach_service ON volume (attach_service);
