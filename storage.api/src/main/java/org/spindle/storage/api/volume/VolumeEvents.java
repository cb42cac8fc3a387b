package org.spindle.storage.api.volume;

/**
 * EventAdmin topics and properties of volume state changes. The topic is {@link #TOPIC_PREFIX} followed by
 * the new state's name, e.g. {@code org/spindle/volume/ATTACHED}; subscribe to {@code org/spindle/volume/*}
 * for all.
 */
public final class VolumeEvents {
    public static final String TOPIC_PREFIX = "org/spindle/volume/";
    public static final String ALL = TOPIC_PREFIX + "*";

    public static final String VOLUME_ID = "volume.id";
    public static final String VOLUME_NAME = "volume.name";
    public static final String STATE = "volume.state";
    public static final String PREVIOUS_STATE = "volume.state.previous";
    public static final String VERSION = "volume.version";
    public static final String POOL = "volume.pool";

    private VolumeEvents() {
    }

    public static String topic(VolumeState state) {
        return TOPIC_PREFIX + state.name();
    }
}
