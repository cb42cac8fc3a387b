package org.spindle.storage.core.internal.volume;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.spindle.storage.api.runtime.Orphan;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeEvents;

/** Posts a volume's state changes on EventAdmin, when there is one. */
final class Events {
    private volatile EventAdmin eventAdmin;

    void setEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void changed(Volume previous, Volume now) {
        EventAdmin ea = eventAdmin;
        if (ea == null || (previous != null && previous.state() == now.state())) {
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
        ea.postEvent(new Event(VolumeEvents.topic(now.state()), props));
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
