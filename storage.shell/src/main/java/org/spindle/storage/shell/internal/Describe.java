package org.spindle.storage.shell.internal;

import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeAttachment;

/** The key: value output of the show commands. Credentials are never part of it. */
public final class Describe {
    private Describe() {
    }

    /**
     * The key: value lines of {@code volume-show}: identity, effective QoS, when both sides' QoS was last read back
     * and one {@code QoS drift} line per value the last audit found off the plan; {@link QosView} has the rest.
     */
    public static Details volume(Volume v) {
        Details d = new Details()
                .add("Name", v.name())
                .add("Id", v.id())
                .add("Tenant", v.tenant())
                .add("State", v.state())
                .add("Size", Format.sizeExact(v.sizeBytes()))
                .add("Offering", v.offering())
                .add("Pool", v.pool())
                .add("SAN id", v.sanId())
                .add("Version", v.version())
                .add("Created", v.created())
                .add("Updated", v.updated());
        if (v.error() != null) {
            d.add("Error", v.error());
        }
        d.add("Effective QoS", Format.effective(v.plan().effective()))
                .add("QoS read back", v.applied().readAt() == null ? "never" : v.applied().readAt());
        if (v.drift().isEmpty()) {
            d.add("QoS drift", "none");
        }
        v.drift().forEach(drift -> d.add("QoS drift", QosView.drift(drift)));
        target(d, v.target());
        attachment(d, v.attachment());
        return d;
    }

    public static Details pool(PoolInfo p) {
        PoolCapacity c = p.capacity();
        return new Details()
                .add("Name", p.name())
                .add("Zone", p.zone())
                .add("Tags", Format.list(p.tags()))
                .add("Protocol", p.protocol())
                .add("Managed", Format.yesNo(p.managed()))
                .add("Driver", p.driverType())
                .add("Available", Format.yesNo(p.available()))
                .add("Capacity", c.totalBytes() == 0 ? "unknown" : Format.sizeExact(c.totalBytes()))
                .add("Provisioned", Format.sizeExact(c.provisionedBytes()))
                .add("IOPS", Format.count(c.totalIops()))
                .add("Provisioned IOPS", Format.count(c.provisionedIops()))
                .add("Volumes", p.volumes());
    }

    public static Details stats(String volume, IoStats s) {
        return new Details()
                .add("Volume", volume)
                .add("Read ops", s.readOps())
                .add("Write ops", s.writeOps())
                .add("Read bytes", Format.sizeExact(s.readBytes()))
                .add("Write bytes", Format.sizeExact(s.writeBytes()))
                .add("Sampled at", s.sampledAt());
    }

    private static void target(Details d, Target t) {
        if (t == null) {
            d.add("Target", "none (not created on the SAN yet)");
            return;
        }
        boolean iscsi = Protocols.ISCSI.equals(t.protocol());
        d.add("Protocol", t.protocol())
                .add("Portals", Format.list(t.portals().stream().map(Portal::toString).toList()))
                .add(iscsi ? "IQN" : "Target name", t.name())
                .add("LUN", t.lun())
                .add("Device id", t.deviceId());
    }

    /** Where it is attached; {@code Host} is where the VM ran at attach time (it may have moved within the service). */
    private static void attachment(Details d, VolumeAttachment a) {
        if (a == null) {
            d.add("Attached", "no");
            return;
        }
        d.add("VM", a.vm())
                .add("VM id", a.vmId())
                .add("Host", a.host())
                .add("Attach service", a.service())
                .add("Device", a.device())
                .add("Initiators", Format.list(a.initiators()));
    }
}
