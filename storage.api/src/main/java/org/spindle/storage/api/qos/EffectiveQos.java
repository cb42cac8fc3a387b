package org.spindle.storage.api.qos;

/**
 * What the VM can really get, the lower of both sides; stored with the volume for usage and billing.
 * 0 means unlimited (or, for {@code guaranteedIops}, no guarantee).
 *
 * @param guaranteedIops IOPS the SAN guarantees
 * @param maxIops        sustained IOPS ceiling (reads plus writes)
 * @param burstIops      peak IOPS ceiling
 * @param maxBytesPerSec sustained throughput ceiling (reads plus writes)
 */
public record EffectiveQos(long guaranteedIops, long maxIops, long burstIops, long maxBytesPerSec) {
    public static final EffectiveQos UNLIMITED = new EffectiveQos(0, 0, 0, 0);
}
