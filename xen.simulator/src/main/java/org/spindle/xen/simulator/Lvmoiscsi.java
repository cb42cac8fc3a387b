package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lvmoiscsi storage manager of every host: reads {@code device_config} as SM's iSCSI SR does (wire reference
 * §2.2: target, port, targetIQN, chapuser with chappassword or chappassword_secret, localIQN, SCSIid), logs in to
 * the real target as the host's initiator, and keeps what an LVM SR writes on a LUN (the SR's uuid and its VDIs'
 * metadata) per SCSI id, so that a forgotten SR can be probed and introduced again with its VDIs.
 *
 * <p>Error codes: 107 is the one the wire reference documents for a missing or wrong SCSIid (with the LUN list);
 * the others use SM's error names in the text (ISCSILogin, ConfigTargetMissing, ISCSIPort, SRInUse, VDISize).
 */
final class Lvmoiscsi {
    /** LVM's extent: VDIs are allocated in 4 MiB steps; the SR keeps 12 MiB for its metadata. */
    static final long EXTENT = 4L << 20;
    static final long METADATA = 12L << 20;

    /** What an LVM SR wrote on a LUN. */
    static final class OnDisk {
        final String srUuid;
        final Map<String, Map<String, Object>> vdis = new HashMap<>();

        OnDisk(String srUuid) {
            this.srUuid = srUuid;
        }
    }

    /** The LUN a device_config designates, as a host's login found it. */
    record Attached(Libiscsi.Lun lun, OnDisk disk) {
    }

    private final Libiscsi iscsi;
    private final Map<String, OnDisk> disks = new HashMap<>();

    Lvmoiscsi(Libiscsi iscsi) {
        this.iscsi = iscsi;
    }

    /** Logs in with {@code dc} as {@code hostIqn} and lists the target's LUNs; fails as SM does. */
    List<Libiscsi.Lun> discover(Map<String, String> dc, String hostIqn, Map<String, String> secrets) {
        String target = dc.getOrDefault("target", "").split(",")[0].trim();
        if (target.isEmpty()) {
            throw XapiError.backend(96, "ConfigTargetMissing", "The target parameter is missing");
        }
        String iqn = dc.getOrDefault("targetIQN", "").trim();
        if (iqn.isEmpty()) {
            throw XapiError.backend(97, "ConfigTargetIQNMissing", "The targetIQN parameter is missing");
        }
        int port;
        try {
            port = Integer.parseInt(dc.getOrDefault("port", "3260").trim());
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65535) {
            throw XapiError.backend(128, "ISCSIPort", "Incorrect value for iSCSI port, must be a number between 1 and 65535");
        }
        String user = dc.get("chapuser");
        String password = dc.get("chappassword");
        if (password == null && dc.containsKey("chappassword_secret")) {
            password = secrets.get(dc.get("chappassword_secret"));
        }
        if (user != null && password == null) {
            throw XapiError.backend(68, "ISCSILogin", "chapuser given without chappassword");
        }
        String initiator = dc.getOrDefault("localIQN", hostIqn);
        if (initiator == null || initiator.isEmpty()) {
            throw XapiError.backend(68, "ISCSILogin", "the host has no iSCSI IQN (other_config:iscsi_iqn)");
        }
        String portal = (target.contains(":") ? "[" + target + "]" : target) + ":" + port;
        try {
            return iscsi.luns(new Libiscsi.Login(portal, iqn, initiator, user, password));
        } catch (Libiscsi.LoginFailed e) {
            throw XapiError.backend(68, "ISCSILogin", "Unable to log in to the iSCSI target " + iqn + " at " + portal
                    + " as " + initiator + ": " + e.getMessage());
        }
    }

    /** Logs in and finds the LUN named by {@code SCSIid}; a missing or unknown one is SR_BACKEND_FAILURE_107. */
    Attached attach(Map<String, String> dc, String hostIqn, Map<String, String> secrets) {
        List<Libiscsi.Lun> luns = discover(dc, hostIqn, secrets);
        String scsiId = dc.get("SCSIid");
        for (Libiscsi.Lun l : luns) {
            if (l.scsiId().equals(scsiId)) {
                return new Attached(l, disks.get(scsiId));
            }
        }
        throw XapiError.backend(107, "The SCSIid parameter is missing or incorrect", lunList(luns));
    }

    /** The XML SM returns with code 107: one {@code <LUN>} per disk LUN of the target. */
    static String lunList(List<Libiscsi.Lun> luns) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" ?>\n<iscsi-target>\n");
        for (Libiscsi.Lun l : luns) {
            b.append("\t<LUN>\n\t\t<vendor>").append(l.vendor()).append("</vendor>\n\t\t<serial>").append(l.serial())
                    .append("</serial>\n\t\t<LUNid>").append(l.lun()).append("</LUNid>\n\t\t<size>").append(l.sizeBytes())
                    .append("</size>\n\t\t<SCSIid>").append(l.scsiId()).append("</SCSIid>\n\t</LUN>\n");
        }
        return b.append("</iscsi-target>\n").toString();
    }

    /** Writes a new, empty LVM SR on the LUN (what SR.create does: whatever was there is gone). */
    OnDisk format(Libiscsi.Lun lun, String srUuid) {
        OnDisk d = new OnDisk(srUuid);
        disks.put(lun.scsiId(), d);
        return d;
    }

    OnDisk onDisk(String scsiId) {
        return disks.get(scsiId);
    }

    /** The SR's usable size on a LUN of {@code lunBytes}. */
    static long usable(long lunBytes) {
        return Math.max(0, (lunBytes - METADATA) / EXTENT * EXTENT);
    }

    static long allocation(long virtualSize) {
        return (virtualSize + EXTENT - 1) / EXTENT * EXTENT;
    }

    /** The probe answer for a LUN: the SR on it, if any, as SR.probe's XML. */
    static String probeXml(OnDisk d) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" ?>\n<SRlist>\n");
        if (d != null) {
            b.append("\t<SR>\n\t\t<UUID>").append(d.srUuid).append("</UUID>\n\t</SR>\n");
        }
        return b.append("</SRlist>\n").toString();
    }

    List<String> scsiIds() {
        return new ArrayList<>(disks.keySet());
    }
}
