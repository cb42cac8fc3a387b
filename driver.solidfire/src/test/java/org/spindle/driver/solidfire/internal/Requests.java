package org.spindle.driver.solidfire.internal;

import java.util.UUID;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.driver.HostGroup;
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

    /** A host group of one host, named host{n} (its IQN has capitals: the cluster stores it lower-cased). */
    static HostGroup host(int n) {
        return new HostGroup("host" + n, List.of("iqn.2024-01.org.spindle.test:Host" + n));
    }

    /** A host group named {@code name} of the hosts numbered {@code hosts} (IQNs as {@link #iqn(int)}). */
    static HostGroup group(String name, int... hosts) {
        List<String> iqns = new ArrayList<>();
        for (int h : hosts) {
            iqns.add(iqn(h));
        }
        return new HostGroup(name, iqns);
    }

    static String iqn(int n) {
        return "iqn.2024-01.org.spindle.test:host" + n;
    }
}
