package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.PBD;
import com.xensource.xenapi.Pool;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VDI;

/**
 * The structure of a managed volume: an lvmoiscsi SR on the volume's LUN, shared, with a PBD plugged on every
 * host of the pool, and one VDI filling it. Every object is found again by its label, the description
 * {@code spindle:<volume uuid>} (given at creation, so a lost reply leaves nothing unlabelled); an SR already on
 * the LUN (a forgotten one) is found by SR.probe and introduced, never created over.
 */
final class SrStructure {
    private static final Logger LOG = LoggerFactory.getLogger(SrStructure.class);
    static final String TYPE = "lvmoiscsi";
    private static final long EXTENT = 4L << 20;
    private static final Pattern PROBE_UUID = Pattern.compile("<UUID>\\s*([0-9a-fA-F-]{36})\\s*</UUID>");
    private static final Pattern LUN = Pattern.compile("<LUN>(.*?)</LUN>", Pattern.DOTALL);

    private final XenClient xen;

    SrStructure(XenClient xen) {
        this.xen = xen;
    }

    static String label(UUID volumeId) {
        return "spindle:" + volumeId;
    }

    /** The SR's and the VDI's after an attach. */
    record Made(SR sr, String srUuid, VDI vdi) {
    }

    /** Finds or makes the SR, its PBDs and its VDI. */
    Made ensure(UUID volumeId, String volumeName, Target target) {
        Map<String, String> dc = deviceConfig(target);
        SR sr = findSr(volumeId);
        if (sr == null) {
            sr = introduceOrCreate(volumeId, volumeName, dc);
        }
        SR theSr = sr;
        ensurePbds(theSr, dc);
        VDI vdi = findVdi(theSr, volumeId);
        if (vdi == null) {
            xen.call("SR.scan", c -> {
                theSr.scan(c);
                return null;
            });
            vdi = findVdi(theSr, volumeId);
        }
        if (vdi == null) {
            vdi = createVdi(theSr, volumeId, volumeName);
        }
        String uuid = xen.call("SR.get_uuid", theSr::getUuid);
        return new Made(theSr, uuid, vdi);
    }

    /** The device_config of the volume's LUN: SCSIid from the target's device id, else from SM's probe answer. */
    Map<String, String> deviceConfig(Target target) {
        Map<String, String> dc = new LinkedHashMap<>();
        dc.put("target", target.portal().host());
        dc.put("port", Integer.toString(target.portal().port()));
        dc.put("targetIQN", target.name());
        if (target.chap() != null) {
            dc.put("chapuser", target.chap().username());
            dc.put("chappassword", target.chap().secret().reveal());
            if (target.chap().isMutual()) {
                dc.put("incoming_chapuser", target.chap().targetUsername());
                dc.put("incoming_chappassword", target.chap().targetSecret().reveal());
            }
        }
        String scsiId = scsiId(target.deviceId());
        dc.put("SCSIid", scsiId != null ? scsiId : probeScsiId(dc, target.lun()));
        return dc;
    }

    /** The Linux SCSI id of a device id: {@code naa.} → 3, {@code eui.} → 2, {@code t10.} → 1, followed by the id. */
    static String scsiId(String deviceId) {
        if (deviceId == null) {
            return null;
        }
        if (deviceId.startsWith("naa.")) {
            return "3" + deviceId.substring(4);
        }
        if (deviceId.startsWith("eui.")) {
            return "2" + deviceId.substring(4);
        }
        if (deviceId.startsWith("t10.")) {
            return "1" + deviceId.substring(4);
        }
        return null;
    }

    /** SR.create without SCSIid fails with SR_BACKEND_FAILURE_107 and the target's LUNs: take the one of {@code lun}. */
    private String probeScsiId(Map<String, String> dc, int lun) {
        return xen.call("SR.create (SCSIid probe)", c -> {
            Host master = master(c);
            try {
                SR made = SR.create(c, master, dc, 0L, "spindle-probe", "", TYPE, "user", true, Map.of());
                throw new StorageException(StorageException.Reason.BACKEND_FAILURE, "The SCSIid probe made SR "
                        + made.getUuid(c) + " instead of failing");
            } catch (Types.XenAPIException e) {
                if (e.errorDescription == null || !"SR_BACKEND_FAILURE_107".equals(e.errorDescription[0])
                        || e.errorDescription.length < 4) {
                    throw e;
                }
                Matcher m = LUN.matcher(e.errorDescription[3]);
                while (m.find()) {
                    String entry = m.group(1);
                    if (tag(entry, "LUNid").equals(Integer.toString(lun))) {
                        return tag(entry, "SCSIid");
                    }
                }
                throw new StorageException(StorageException.Reason.NOT_FOUND, "target.lun", "The target has no LUN " + lun
                        + " a Xen host can see", null);
            }
        });
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*(.*?)\\s*</" + name + ">", Pattern.DOTALL).matcher(xml);
        return m.find() ? m.group(1) : "";
    }

    private static Host master(Connection c) throws Exception {
        return Pool.getAll(c).iterator().next().getMaster(c);
    }

    SR findSr(UUID volumeId) {
        String label = label(volumeId);
        return xen.call("SR.get_all_records", c -> {
            for (Map.Entry<SR, SR.Record> e : SR.getAllRecords(c).entrySet()) {
                if (label.equals(e.getValue().nameDescription)) {
                    return e.getKey();
                }
            }
            return null;
        });
    }

    private SR introduceOrCreate(UUID volumeId, String volumeName, Map<String, String> dc) {
        String name = "spindle-" + volumeName;
        return xen.call("SR.probe/introduce/create", c -> {
            Host master = master(c);
            String xml = SR.probe(c, master, dc, TYPE, Map.of());
            Matcher m = PROBE_UUID.matcher(xml);
            if (m.find()) {
                String uuid = m.group(1);
                LOG.info("LUN {} holds SR {}: introducing it for volume {}", dc.get("SCSIid"), uuid, volumeId);
                try {
                    return SR.getByUuid(c, uuid);
                } catch (Types.UuidInvalid notKnown) {
                    return SR.introduce(c, uuid, name, label(volumeId), TYPE, "user", true, Map.of());
                }
            }
            return SR.create(c, master, dc, 0L, name, label(volumeId), TYPE, "user", true, Map.of());
        });
    }

    /** A plugged PBD on every host: those missing are made with {@code dc}, those unplugged are plugged. */
    void ensurePbds(SR sr, Map<String, String> dc) {
        xen.call("PBD.create/plug", c -> {
            Map<Host, PBD> byHost = new HashMap<>();
            for (PBD p : sr.getPBDs(c)) {
                byHost.put(p.getHost(c), p);
            }
            for (Host h : Host.getAll(c)) {
                PBD p = byHost.get(h);
                if (p == null) {
                    PBD.Record r = new PBD.Record();
                    r.host = h;
                    r.SR = sr;
                    r.deviceConfig = dc;
                    r.otherConfig = Map.of();
                    p = PBD.create(c, r);
                }
                if (!p.getCurrentlyAttached(c)) {
                    p.plug(c);
                }
            }
            return null;
        });
    }

    /**
     * Drops the PBDs of hosts that left the pool (their host is no longer among the pool's hosts): unplugged when xapi
     * still shows them attached, then destroyed, with the secrets xapi keeps for them. Returns how many went.
     */
    int dropDeparted(SR sr) {
        return xen.call("PBD.unplug/destroy (departed hosts)", c -> {
            Set<Host> members = Host.getAll(c);
            int dropped = 0;
            for (PBD p : sr.getPBDs(c)) {
                Host h = p.getHost(c);
                if (members.contains(h)) {
                    continue;
                }
                if (p.getCurrentlyAttached(c)) {
                    p.unplug(c);
                }
                p.destroy(c);
                dropped++;
                LOG.info("SR {}: the PBD of departed host {} destroyed", sr.getUuid(c), h.toWireString());
            }
            return dropped;
        });
    }

    /** The device_config a host's PBD of {@code sr} carries (secrets as xapi keeps them), for a host that joins. */
    Map<String, String> existingDeviceConfig(SR sr) {
        return xen.call("PBD.get_device_config", c -> {
            Set<PBD> pbds = sr.getPBDs(c);
            if (pbds.isEmpty()) {
                throw new StorageException(StorageException.Reason.CONFLICT, "The SR " + sr.getUuid(c) + " has no PBD to copy");
            }
            return new LinkedHashMap<>(pbds.iterator().next().getDeviceConfig(c));
        });
    }

    VDI findVdi(SR sr, UUID volumeId) {
        String label = label(volumeId);
        return xen.call("SR.get_VDIs", c -> {
            for (VDI v : sr.getVDIs(c)) {
                if (label.equals(v.getNameDescription(c))) {
                    return v;
                }
            }
            return null;
        });
    }

    /** A VDI of the SR's free space, rounded down to LVM's 4 MiB extents. */
    private VDI createVdi(SR sr, UUID volumeId, String volumeName) {
        return xen.call("VDI.create", c -> {
            SR.Record r = sr.getRecord(c);
            long size = (r.physicalSize - r.physicalUtilisation) / EXTENT * EXTENT;
            if (size <= 0) {
                throw new StorageException(StorageException.Reason.CAPACITY, "size", "The SR " + r.uuid + " has no room for a VDI", null);
            }
            VDI.Record v = new VDI.Record();
            v.nameLabel = volumeName;
            v.nameDescription = label(volumeId);
            v.SR = sr;
            v.virtualSize = size;
            v.type = Types.VdiType.USER;
            v.sharable = false;
            v.readOnly = false;
            v.otherConfig = Map.of("spindle-volume", volumeId.toString());
            v.xenstoreData = Map.of();
            v.smConfig = Map.of();
            v.tags = Set.of();
            return VDI.create(c, v);
        });
    }

    /**
     * After the SAN grew the LUN: {@code SR.scan} re-reads it (the SR grows), then the VDI is resized to fill the SR
     * again. Returns the VDI's size; a VDI that already fills the SR is left as it is (a retry).
     */
    long grow(UUID volumeId) {
        SR sr = findSr(volumeId);
        if (sr == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "attachment", "The SR of volume " + volumeId
                    + " is not in the pool", null);
        }
        xen.call("SR.scan", c -> {
            sr.scan(c);
            return null;
        });
        VDI vdi = findVdi(sr, volumeId);
        if (vdi == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "attachment", "The VDI of volume " + volumeId
                    + " is not in its SR", null);
        }
        return xen.call("VDI.resize", c -> {
            SR.Record r = sr.getRecord(c);
            long current = vdi.getVirtualSize(c);
            long allocated = (current + EXTENT - 1) / EXTENT * EXTENT;
            long fill = (r.physicalSize - r.physicalUtilisation + allocated) / EXTENT * EXTENT;
            if (fill > current) {
                vdi.resize(c, fill);
                return fill;
            }
            return current;
        });
    }

    /**
     * Removes the volume's SR from the pool: VDI forgotten (the data stays on the LUN), every PBD unplugged and
     * destroyed, the SR forgotten. Whatever is already gone is skipped, so a half-done detach converges.
     */
    void remove(UUID volumeId, String srUuid) {
        List<SR> srs = new ArrayList<>();
        SR labelled = findSr(volumeId);
        if (labelled != null) {
            srs.add(labelled);
        }
        if (srUuid != null && labelled == null) {
            xen.call("SR.get_by_uuid", c -> {
                try {
                    srs.add(SR.getByUuid(c, srUuid));
                } catch (Types.UuidInvalid gone) {
                    // already forgotten
                }
                return null;
            });
        }
        for (SR sr : srs) {
            xen.call("SR.forget", c -> {
                forget(c, sr);
                return null;
            });
            LOG.info("SR of volume {} forgotten", volumeId);
        }
    }

    /**
     * Takes {@code sr} out of the pool, keeping the data on its LUN: each VDI forgotten, each PBD unplugged (when
     * attached) and destroyed, then the SR forgotten. What is gone already is not there to skip.
     */
    static void forget(Connection c, SR sr) throws Exception {
        for (VDI v : sr.getVDIs(c)) {
            v.forget(c);
        }
        for (PBD p : sr.getPBDs(c)) {
            if (p.getCurrentlyAttached(c)) {
                p.unplug(c);
            }
            p.destroy(c);
        }
        sr.forget(c);
    }
}
