package org.spindle.storage.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.StorageRuntime;

/** Answers with what a test put in. */
public class FakeStorageRuntime implements StorageRuntime {
    public final List<DriverInfo> drivers = new ArrayList<>();
    public final List<AttachServiceInfo> attachServices = new ArrayList<>();
    public final List<PoolInfo> pools = new ArrayList<>();

    @Override
    public List<DriverInfo> drivers() {
        return drivers;
    }

    @Override
    public List<AttachServiceInfo> attachServices() {
        return attachServices;
    }

    @Override
    public List<PoolInfo> pools() {
        return pools;
    }

    @Override
    public Optional<PoolInfo> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
