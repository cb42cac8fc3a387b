package org.spindle.storage.api.volume;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Disk offerings. Provided by the Spindle core. */
@ProviderType
public interface OfferingService {
    /** Stores a new offering after checking its QoS is self-consistent; the name must be new. */
    Offering create(Offering offering);

    List<Offering> list();

    Optional<Offering> get(String name);

    /** Deletes the offering; volumes made from it keep their QoS. */
    void delete(String name);
}
