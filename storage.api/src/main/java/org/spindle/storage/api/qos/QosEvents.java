package org.spindle.storage.api.qos;

/**
 * EventAdmin topics of the QoS audit, with the properties each event carries. One event per volume and audit
 * pass that found drift ({@link #DRIFT}), and one per volume healed ({@link #HEALED}). Volume state events
 * ({@code org/spindle/volume/*}) carry the effective QoS after every change, under the {@code volume.qos.*}
 * properties of {@link org.spindle.storage.api.volume.VolumeEvents}.
 *
 * @since 1.1
 */
public final class QosEvents {
    public static final String TOPIC_PREFIX = "org/spindle/qos/";
    /** Drift found; the volume is marked until a pass finds it in line with its plan. */
    public static final String DRIFT = TOPIC_PREFIX + "DRIFT";
    /** The plan was applied again and read back in line. */
    public static final String HEALED = TOPIC_PREFIX + "HEALED";

    public static final String VOLUME_ID = "volume.id";
    public static final String VOLUME_NAME = "volume.name";
    /** The drifted values, each as {@link QosDrift#toString()} (String[]). */
    public static final String FINDINGS = "qos.drift";
    /** The sides that drifted, as {@link QosSide#token()} (String[]). */
    public static final String SIDES = "qos.sides";

    private QosEvents() {
    }
}
