package org.spindle.storage.core.internal.qos;

import static org.spindle.storage.api.driver.StorageQosCapability.BURST_IOPS;
import static org.spindle.storage.api.driver.StorageQosCapability.MAX_IOPS;
import static org.spindle.storage.api.driver.StorageQosCapability.MIN_IOPS;
import static org.spindle.storage.core.internal.qos.Refusals.range;
import static org.spindle.storage.core.internal.qos.Refusals.refused;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;

/**
 * A volume's storage QoS divided between the SAN and the hypervisor.
 *
 * <ul>
 * <li>min-iops is a guarantee: only the SAN can give it.</li>
 * <li>max-iops and burst-iops are one cap: they go to the SAN when its driver declares every one of them
 * that is set. Otherwise both go to the hypervisor: a SAN holding max-iops without the burst above it
 * would cap every burst at max-iops, and a SAN burst without the SAN cap it bursts over means nothing.</li>
 * <li>What goes to the hypervisor is the {@code residual}, one total IOPS limit: rate = max-iops (or
 * burst-iops when only that is set, a burst with no sustained cap being just a cap), burst = burst-iops.</li>
 * </ul>
 *
 * @param san           what the SAN enforces
 * @param residual      what the hypervisor must enforce as total IOPS, {@link Limit#NONE} if nothing
 * @param residualField the first storage field left to the hypervisor, or {@code null}
 * @param residualText  the storage values left to the hypervisor, for messages, or {@code null}
 */
record StorageSplit(StorageQos san, Limit residual, String residualField, String residualText) {

    /**
     * Divides {@code requested} for a pool, refusing a guarantee the SAN cannot give and values outside
     * the pool's ranges.
     */
    static StorageSplit of(StorageQos requested, StorageCapabilities pool) {
        long min = requested.minIops();
        long max = requested.maxIops();
        long burst = requested.burstIops();
        if (min > 0) {
            if (!pool.enforces(MIN_IOPS)) {
                throw refused("min-iops", "min-iops " + min + " cannot be guaranteed: the pool's driver enforces "
                        + pool.describe() + ", not min-iops, and a hypervisor can only limit, never guarantee;"
                        + " choose a pool whose driver declares min-iops or leave min-iops unset");
            }
            if ((pool.minIopsFloor() > 0 && min < pool.minIopsFloor())
                    || (pool.minIopsCeiling() > 0 && min > pool.minIopsCeiling())) {
                throw refused("min-iops", "min-iops " + min + " is outside what the pool accepts: "
                        + range(pool.minIopsFloor(), pool.minIopsCeiling()));
            }
        }
        boolean maxOk = max == 0 || pool.enforces(MAX_IOPS);
        boolean burstOk = burst == 0 || pool.enforces(BURST_IOPS);
        long sanMax = maxOk && burstOk ? max : 0;
        long sanBurst = maxOk && burstOk ? burst : 0;
        long floor = pool.maxIopsFloor();
        long ceiling = pool.maxIopsCeiling();
        if ((ceiling > 0 && sanMax > ceiling) || (floor > 0 && sanMax > 0 && sanMax < floor)) {
            throw refused("max-iops", "max-iops " + sanMax + " is outside what the pool accepts: " + range(floor, ceiling));
        }
        if ((ceiling > 0 && sanBurst > ceiling) || (floor > 0 && sanBurst > 0 && sanBurst < floor)) {
            throw refused("burst-iops", "burst-iops " + sanBurst + " is outside what the pool accepts: "
                    + range(floor, ceiling));
        }
        StorageQos san = new StorageQos(min, sanMax, sanBurst);
        if (sanMax == max && sanBurst == burst) {
            return new StorageSplit(san, Limit.NONE, null, null);
        }
        List<String> left = new ArrayList<>();
        if (!maxOk) {
            left.add("max-iops " + max);
        }
        if (!burstOk) {
            left.add("burst-iops " + burst + (maxOk && max > 0 ? " (with the max-iops " + max + " it bursts over)" : ""));
        }
        long rate = max > 0 ? max : burst;
        Limit residual = new Limit(rate, burst > rate ? burst : 0, 0);
        return new StorageSplit(san, residual, maxOk ? "burst-iops" : "max-iops", String.join(" and ", left));
    }
}
