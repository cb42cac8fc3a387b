package org.spindle.storage.api.volume;

import java.util.List;
import java.util.Objects;

import org.spindle.storage.api.qos.QosSpec;

/**
 * A disk offering: which pools (by storage tag) and which QoS.
 *
 * @param name        unique name
 * @param description free text
 * @param tags        storage tags a pool must all carry; empty means any pool
 * @param qos         storage guarantees and hypervisor limits
 * @param customIops  whether users may choose min/max/burst IOPS at volume creation; the offering's own
 *                    min IOPS is then the lowest min they may ask and its max/burst IOPS the highest
 */
public record Offering(String name, String description, List<String> tags, QosSpec qos, boolean customIops) {
    public Offering {
        Names.check("name", name);
        description = description == null ? "" : description;
        tags = List.copyOf(tags);
        tags.forEach(t -> Names.check("tags", t));
        Objects.requireNonNull(qos, "qos");
    }
}
