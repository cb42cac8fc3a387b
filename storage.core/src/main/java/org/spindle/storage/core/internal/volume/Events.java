package org.spindle.storage.core.internal.volume;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
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
}
