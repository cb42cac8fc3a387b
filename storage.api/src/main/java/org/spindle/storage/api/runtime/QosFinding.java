package org.spindle.storage.api.runtime;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.qos.QosDrift;

/**
 * One volume whose QoS differed from its plan.
 *
 * @param volumeId its id
 * @param volume   its name
 * @param drift    every differing value
 * @param healed   whether the plan was applied again and read back in line
 * @param error    why healing failed, else {@code null}
 * @since 1.1
 */
public record QosFinding(UUID volumeId, String volume, List<QosDrift> drift, boolean healed, String error) {
    public QosFinding {
        Objects.requireNonNull(volumeId, "volumeId");
        drift = List.copyOf(drift);
    }
}
