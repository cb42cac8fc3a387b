package org.spindle.storage.core.internal.registry;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.driver.PoolCapacity;
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

    @Activate
    public StaticPool(StaticPoolConfig config) {
        Names.check("name", config.name());
        Names.check("zone", config.zone());
        Names.check("structure", config.structure());
        this.structure = config.structure();
        this.record = new PoolRecord(config.name(), config.zone(), List.of(config.tags()),
                Protocols.check("protocol", config.protocol()), false, TYPE,
                new PoolCapacity(config.capacity_bytes(), 0, 0, 0));
    }

    public PoolRecord record() {
        return record;
    }

    public String structure() {
        return structure;
    }
}
