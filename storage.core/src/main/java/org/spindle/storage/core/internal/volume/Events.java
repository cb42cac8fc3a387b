package org.spindle.storage.core.internal.volume;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosEvents;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeEvents;

/** Posts a volume's changes (state, size, effective QoS) and its QoS drift on EventAdmin, when there is one. */
final class Events {
    private volatile EventAdmin eventAdmin;

    void setEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    EventAdmin eventAdmin() {
        return eventAdmin;
    }

    void changed(Volume previous, Volume now) {
        EventAdmin ea = eventAdmin;
        if (ea == null || (previous != null && previous.state() == now.state() && previous.sizeBytes() == now.sizeBytes()
                && previous.effectiveQos().equals(now.effectiveQos()))) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(VolumeEvents.VOLUME_ID, now.id().toString());
        props.put(VolumeEvents.VOLUME_NAME, now.name());
        props.put(VolumeEvents.STATE, now.state().name());
        if (previous != null) {
            props.put(VolumeEvents.PREVIOUS_STATE, previous.state().name());
        }
        props.put(VolumeEvents.VERSION, now.version());
        props.put(VolumeEvents.POOL, now.pool());
        props.put(VolumeEvents.TENANT, now.tenant());
        props.put(VolumeEvents.SIZE, now.sizeBytes());
        props.put(VolumeEvents.QOS_GUARANTEED_IOPS, now.effectiveQos().guaranteedIops());
        props.put(VolumeEvents.QOS_MAX_IOPS, now.effectiveQos().maxIops());
        props.put(VolumeEvents.QOS_BURST_IOPS, now.effectiveQos().burstIops());
        props.put(VolumeEvents.QOS_MAX_BPS, now.effectiveQos().maxBytesPerSec());
        ea.postEvent(new Event(VolumeEvents.topic(now.state()), props));
    }

    /** Posts that a volume's QoS drifted ({@link QosEvents#DRIFT}) or was healed ({@link QosEvents#HEALED}). */
    void qos(String topic, Volume v, List<QosDrift> drift) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(QosEvents.VOLUME_ID, v.id().toString());
        props.put(QosEvents.VOLUME_NAME, v.name());
        props.put(QosEvents.FINDINGS, drift.stream().map(QosDrift::toString).toArray(String[]::new));
        props.put(QosEvents.SIDES, drift.stream().map(d -> d.side().token()).distinct().toArray(String[]::new));
        ea.postEvent(new Event(topic, props));
    }

    /** Posts that an orphan was found or removed ({@link Orphan#TOPIC_FOUND}, {@link Orphan#TOPIC_REMOVED}). */
    void orphan(Orphan o) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put("orphan.kind", o.kind());
        props.put("orphan.place", o.place());
        props.put("orphan.ref", o.ref());
        props.put(VolumeEvents.VOLUME_ID, o.volumeId().toString());
        props.put("orphan.detail", o.detail());
        props.put("orphan.first.seen", o.firstSeen().toString());
        ea.postEvent(new Event(o.removed() ? Orphan.TOPIC_REMOVED : Orphan.TOPIC_FOUND, props));
    }
}
