package org.spindle.storage.api.volume;

/**
 * EventAdmin topics and properties of volume state changes. The topic is {@link #TOPIC_PREFIX} followed by
 * the new state's name, e.g. {@code org/spindle/volume/ATTACHED}; subscribe to {@code org/spindle/volume/*}
 * for all. Each event carries the volume's tenant, size and effective QoS after the change, enough for a
 * billing system to follow every change without polling.
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
    /** @since 1.1 */
    public static final String TENANT = "volume.tenant";
    /** The volume's size in bytes (Long). @since 1.1 */
    public static final String SIZE = "volume.size";
    /** The effective guaranteed IOPS after the change (Long, 0: none); see {@link Volume#effectiveQos()}. @since 1.1 */
    public static final String QOS_GUARANTEED_IOPS = "volume.qos.guaranteed.iops";
    /** The effective sustained IOPS cap after the change (Long, 0: unlimited). @since 1.1 */
    public static final String QOS_MAX_IOPS = "volume.qos.max.iops";
    /** The effective burst IOPS cap after the change (Long, 0: unlimited). @since 1.1 */
    public static final String QOS_BURST_IOPS = "volume.qos.burst.iops";
    /** The effective throughput cap after the change (Long, bytes/s, 0: unlimited). @since 1.1 */
    public static final String QOS_MAX_BPS = "volume.qos.max.bps";

    private VolumeEvents() {
    }

    public static String topic(VolumeState state) {
        return TOPIC_PREFIX + state.name();
    }
}
