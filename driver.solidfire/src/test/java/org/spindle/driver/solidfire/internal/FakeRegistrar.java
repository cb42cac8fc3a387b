package org.spindle.driver.solidfire.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.spindle.storage.api.driver.StorageDriver;

/** Records what a {@link DriverLifecycle} registers. */
final class FakeRegistrar implements DriverLifecycle.Registrar {
    final List<Map<String, Object>> registered = new ArrayList<>();
    final List<Map<String, Object>> updates = new ArrayList<>();
    StorageDriver driver;
    boolean unregistered;

    @Override
    public synchronized DriverLifecycle.Registration register(StorageDriver d, Map<String, Object> properties) {
        driver = d;
        registered.add(Map.copyOf(properties));
        return new DriverLifecycle.Registration() {
            @Override
            public void update(Map<String, Object> p) {
                synchronized (FakeRegistrar.this) {
                    updates.add(Map.copyOf(p));
                }
            }

            @Override
            public void unregister() {
                synchronized (FakeRegistrar.this) {
                    unregistered = true;
                }
            }
        };
    }

    synchronized Map<String, Object> current() {
        return updates.isEmpty() ? registered.get(registered.size() - 1) : updates.get(updates.size() - 1);
    }
}
