package org.spindle.storage.core.internal.volume;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.core.internal.audit.Auditor;
import org.spindle.storage.core.internal.db.JdbcStore;
import org.spindle.storage.core.internal.qos.OfferingCheck;

/** Disk offerings, checked for self-consistent QoS before they are stored. */
@Component(service = OfferingService.class)
public class OfferingManager implements OfferingService {
    private final JdbcStore store;
    private final Auditor trail;
    private volatile EventAdmin eventAdmin;

    @Activate
    public OfferingManager(@Reference JdbcStore store) {
        this.store = store;
        this.trail = new Auditor(store, () -> eventAdmin);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        this.eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        this.eventAdmin = null;
    }

    @Override
    public Offering create(Offering offering) {
        return trail.record("offering.create", offering.name(), "tags " + offering.tags() + (offering.customIops() ? ", custom IOPS" : ""),
                () -> {
                    OfferingCheck.check(offering.qos());
                    store.insertOffering(offering);
                    return offering;
                });
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
        trail.record("offering.delete", name, null, () -> {
            Names.check("name", name);
            if (!store.deleteOffering(name)) {
                throw new StorageException(Reason.NOT_FOUND, "name", "name: no offering named " + name, null);
            }
            return null;
        });
    }
}
