package org.spindle.storage.api.qos;

import java.util.Objects;

/** Both sides as asked for (by an offering, a user, or core defaults), before planning. */
public record QosSpec(StorageQos storage, IoLimits limits) {
    public static final QosSpec NONE = new QosSpec(StorageQos.NONE, IoLimits.NONE);

    public QosSpec {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(limits, "limits");
    }
}
