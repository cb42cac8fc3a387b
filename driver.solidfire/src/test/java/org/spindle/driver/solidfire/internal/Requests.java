package org.spindle.driver.solidfire.internal;

import java.util.UUID;

import org.spindle.storage.api.driver.Initiator;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.driver.SanVolumeRef;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.StorageQos;

/** Request values for the driver tests. */
final class Requests {
    static final long GB = 1_000_000_000L;
    /** 1,000,000,000 bytes rounded up to whole MiB, as Element does. */
    static final long GB_ON_SAN = 1_000_341_504L;

    private Requests() {
    }

    static SanVolumeRequest volume(String name, String tenant) {
        return new SanVolumeRequest(UUID.randomUUID(), name, tenant, GB, StorageQos.NONE);
    }

    static SanVolumeRequest volume(String name, String tenant, StorageQos qos) {
        return new SanVolumeRequest(UUID.randomUUID(), name, tenant, GB, qos);
    }

    static SanVolumeRef ref(SanVolume v) {
        return v.ref();
    }

    static Initiator host(int n) {
        return new Initiator("host" + n, "iqn.2024-01.org.spindle.test:Host" + n);
    }

    static String iqn(int n) {
        return "iqn.2024-01.org.spindle.test:host" + n;
    }
}
