package org.spindle.storage.shell;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.PoolCapacity;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;

/** Values for tests. */
public final class Samples {
    public static final String CHAP_USER = "chap-user-7";
    public static final String CHAP_SECRET = "s3cr3t-initiator";
    public static final String CHAP_TARGET_SECRET = "s3cr3t-target";
    public static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    public static final long GIB = 1L << 30;

    static final QosSpec REQUESTED = new QosSpec(new StorageQos(1000, 2000, 3000),
            new IoLimits(new Limit(500, 800, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE,
                    Limit.of(100L << 20)));
    static final QosPlan PLAN = new QosPlan(REQUESTED.storage(), REQUESTED.limits(),
            new EffectiveQos(1000, 2000, 3000, 100L << 20));

    private Samples() {
    }

    /** A target carrying CHAP credentials, as grantAccess hands it out. */
    public static Target targetWithChap() {
        return new Target("iscsi", List.of("10.0.0.5:3260"), "iqn.2010-01.com.solidfire:abc.vol1.42", 0,
                new Chap(CHAP_USER, Secret.of(CHAP_SECRET), Secret.of(CHAP_TARGET_SECRET)));
    }

    static Volume volume(String name, VolumeState state) {
        return new Volume(UUID.nameUUIDFromBytes(name.getBytes()), name, "admin", 10 * GIB, "gold", "sf-1", state, 1,
                REQUESTED, PLAN, null, null, null, null, CREATED, CREATED);
    }

    static Volume attached(String name) {
        UUID id = UUID.nameUUIDFromBytes(name.getBytes());
        return new Volume(id, name, "tenant-9", 10 * GIB, "gold", "sf-1", VolumeState.ATTACHED, 7, REQUESTED, PLAN,
                "4711", targetWithChap(), new Attachment(id, "vm-1", "kvm-3", "sdb", null, false), null, CREATED,
                CREATED.plusSeconds(60));
    }

    static PoolInfo pool(String name) {
        return new PoolInfo(name, "zone-1", List.of("ssd", "gold"), "iscsi", true, "solidfire", true,
                new PoolCapacity(10L << 40, 1L << 40, 100_000, 12_000), 3);
    }

    static DriverInfo driver(String source, ServiceStatus status, String reason) {
        return new DriverInfo(source, "org.spindle.storage.driver.solidfire", "solidfire", "sf-1", "zone-1",
                List.of("ssd"), List.of("iscsi"), List.of("min-iops", "max-iops", "burst-iops"), true, status, reason);
    }

    static AttachServiceInfo attachService(String host, ServiceStatus status, String reason) {
        return new AttachServiceInfo("42", "org.spindle.storage.hyper.kvm", "kvm", host, "c1", "zone-1",
                List.of("iscsi"), List.of("read-iops", "total-bps"), List.of("libvirt-pool"), status, reason);
    }
}
