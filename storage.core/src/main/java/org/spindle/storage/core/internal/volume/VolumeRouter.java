package org.spindle.storage.core.internal.volume;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.core.internal.db.PoolRecord;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * Routing rules, free of OSGi: which pool an offering's volume goes to, and the LDAP filters that select the
 * attach services able to attach a pool's volumes.
 */
final class VolumeRouter {

    /**
     * The pool for a new volume: among available pools carrying all the offering's tags and creating volumes
     * of {@code sizeBytes} ({@code storage.volume.size.min}), one with room for it (and for its guaranteed
     * IOPS, where the pool reports IOPS), the one with most free bytes.
     *
     * @throws StorageException {@code NO_ROUTE} when no pool carries the tags, {@code UNAVAILABLE} when none of
     *                          those is there now, {@code INVALID_ARGUMENT} ("size") when the volume is smaller
     *                          than every such pool's minimum, {@code CAPACITY} when none has room
     */
    BoundPool choosePool(Offering offering, long sizeBytes, long minIops, List<PoolRecord> known, List<BoundPool> available,
                         Function<BoundPool, PoolCapacity> capacity) {
        List<PoolRecord> tagged = known.stream().filter(p -> p.tags().containsAll(offering.tags())).toList();
        if (tagged.isEmpty()) {
            throw new StorageException(Reason.NO_ROUTE, "offering", "no pool carries the storage tags " + offering.tags()
                    + " of offering " + offering.name(), null);
        }
        List<BoundPool> up = available.stream().filter(b -> b.record().tags().containsAll(offering.tags())).toList();
        if (up.isEmpty()) {
            throw new StorageException(Reason.UNAVAILABLE, "offering", "pool " + String.join(", ", tagged.stream().map(PoolRecord::name).toList())
                    + " (tags " + offering.tags() + ") is unavailable: its driver is not running", null);
        }
        List<BoundPool> sized = up.stream().filter(b -> b.capabilities().volumeSizeMin() <= sizeBytes).toList();
        if (sized.isEmpty()) {
            throw StorageException.invalid("size", String.join("; ", up.stream().map(b -> "pool " + b.record().name()
                    + " creates no volume smaller than " + b.capabilities().volumeSizeMin() + " bytes").toList())
                    + " (was " + sizeBytes + ")");
        }
        record Scored(BoundPool pool, long free) {
        }
        List<Scored> fitting = sized.stream().map(b -> {
            PoolCapacity c = capacity.apply(b);
            long free = c.totalBytes() == 0 ? Long.MAX_VALUE : c.totalBytes() - c.provisionedBytes();
            long freeIops = c.totalIops() == 0 ? Long.MAX_VALUE : c.totalIops() - c.provisionedIops();
            return free >= sizeBytes && freeIops >= minIops ? new Scored(b, free) : null;
        }).filter(s -> s != null).toList();
        if (fitting.isEmpty()) {
            throw new StorageException(Reason.CAPACITY, "size", "no pool with tags " + offering.tags() + " has room for "
                    + sizeBytes + " bytes" + (minIops > 0 ? " and " + minIops + " guaranteed IOPS" : "") + " (pools "
                    + String.join(", ", sized.stream().map(b -> b.record().name()).toList()) + ")", null);
        }
        return fitting.stream().max(Comparator.comparingLong(Scored::free).thenComparing(s -> s.pool().record().name(),
                Comparator.reverseOrder())).orElseThrow().pool();
    }

    /**
     * Attach services for a volume of {@code pool}: same zone, the pool's protocol, with {@code host} among
     * their hosts or as their identity if given, and, for a static pool, declaring its structure.
     */
    String attachFilter(PoolRecord pool, String host, String structure) {
        StringBuilder f = new StringBuilder("(&")
                .append(eq(AttachProperties.PROTOCOLS, pool.protocol()))
                .append(eq(AttachProperties.ZONE, pool.zone()));
        if (host != null) {
            f.append(hostFilter(host));
        }
        if (structure != null) {
            f.append(eq(AttachProperties.STRUCTURES, structure));
        }
        return f.append(')').toString();
    }

    /** Attach services in the pool's zone, whatever they attach (for diagnostics). */
    String zoneFilter(PoolRecord pool, String host) {
        return host == null ? eq(AttachProperties.ZONE, pool.zone()) : "(&" + eq(AttachProperties.ZONE, pool.zone()) + hostFilter(host) + ")";
    }

    /** Attach services that manage {@code host} or are named {@code host}, whatever zone. */
    String hostFilter(String host) {
        return "(|" + eq(AttachProperties.HOSTS, host) + eq(AttachProperties.SERVICE, host) + ")";
    }

    static String eq(String key, String value) {
        StringBuilder v = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '*' || ch == '(' || ch == ')') {
                v.append('\\');
            }
            v.append(ch);
        }
        return "(" + key + "=" + v + ")";
    }
}
