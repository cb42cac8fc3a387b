package org.spindle.storage.core.internal.registry;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.core.internal.db.PoolRecord;

/** One static pool, from one factory configuration; the {@link DriverRegistry} tracks it like a driver. */
@Component(service = StaticPool.class, configurationPid = StaticPoolConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StaticPoolConfig.class, factory = true)
public class StaticPool {
    /** The driver type shown for static pools. */
    public static final String TYPE = "static";

    private final PoolRecord record;
    private final String structure;

    /**
     * Validates the configuration. A bad one is reported, like a bad driver configuration, so that
     * {@code storage:driver-list} shows it as REJECTED with the reason, naming the key.
     */
    @Activate
    public StaticPool(@Reference Rejections rejections, StaticPoolConfig config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        try {
            Names.check("name", config.name());
            Names.check("zone", config.zone());
            Names.check("structure", config.structure());
            if (config.capacity_bytes() < 0) {
                throw StorageException.invalid("capacity.bytes", "must be 0 (unknown) or positive (was " + config.capacity_bytes() + ")");
            }
            for (String tag : config.tags()) {
                Names.check("tags", tag);
            }
            this.structure = config.structure();
            this.record = new PoolRecord(config.name(), config.zone(), List.of(config.tags()),
                    Protocols.check("protocol", config.protocol()), false, TYPE,
                    new PoolCapacity(config.capacity_bytes(), 0, 0, 0));
        } catch (StorageException e) {
            rejections.rejected(RejectionReporter.Kind.DRIVER, pid, "org.spindle.storage.core", TYPE, e.getMessage());
            throw e;
        }
        rejections.cleared(pid);
    }

    public PoolRecord record() {
        return record;
    }

    public String structure() {
        return structure;
    }
}
