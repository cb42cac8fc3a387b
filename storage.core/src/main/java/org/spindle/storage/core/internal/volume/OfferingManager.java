package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.qos.OfferingCheck;

/** Disk offerings, checked for self-consistent QoS before they are stored. */
@Component(service = OfferingService.class)
public class OfferingManager implements OfferingService {
    private final JdbcStore store;

    @Activate
    public OfferingManager(@Reference JdbcStore store) {
        this.store = store;
    }

    @Override
    public Offering create(Offering offering) {
        OfferingCheck.check(offering.qos());
        store.insertOffering(offering);
        return offering;
    }

    @Override
    public List<Offering> list() {
        return store.offerings();
    }

    @Override
    public Optional<Offering> get(String name) {
        return store.offering(name);
    }

    @Override
    public void delete(String name) {
        Names.check("name", name);
        if (!store.deleteOffering(name)) {
            throw new StorageException(Reason.NOT_FOUND, "name", "name: no offering named " + name, null);
        }
    }
}
