package org.spindle.storage.api.runtime;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** What the core is bound to, what it refused and why, and the pools. Provided by the Spindle core. */
@ProviderType
public interface StorageRuntime {
    List<DriverInfo> drivers();

    List<AttachServiceInfo> attachServices();

    List<PoolInfo> pools();

    Optional<PoolInfo> pool(String name);
}
