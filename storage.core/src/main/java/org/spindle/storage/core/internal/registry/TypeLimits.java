package org.spindle.storage.core.internal.registry;

import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.core.internal.qos.QosPlanner;

/**
 * The default hypervisor limits of one hypervisor type, from one factory configuration
 * ({@value TypeLimitsConfig#PID}). The keys are read from the raw configuration so that a bad value (not a
 * number, negative, a weight above 1000, read/write beside a total) is refused naming its key.
 */
@Component(service = TypeLimits.class, configurationPid = TypeLimitsConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TypeLimitsConfig.class, factory = true)
public class TypeLimits {
    private static final Logger LOG = LoggerFactory.getLogger(TypeLimits.class);

    private final String type;
    private final IoLimits limits;

    /** @throws StorageException {@code INVALID_ARGUMENT} naming the configuration key of a bad value */
    @Activate
    public TypeLimits(Map<String, Object> properties) {
        try {
            Object t = properties.get("hypervisor.type");
            if (!(t instanceof String s) || s.isBlank()) {
                throw StorageException.invalid("hypervisor.type", "is missing: which hypervisor type (e.g. kvm) these limits are for");
            }
            this.type = s.trim();
            IoLimits l = new IoLimits(limit(properties, "read.iops"), limit(properties, "write.iops"), limit(properties, "total.iops"),
                    limit(properties, "read.bps"), limit(properties, "write.bps"), limit(properties, "total.bps"));
            long weight = number(properties, "weight");
            if (weight > IoLimits.MAX_WEIGHT) {
                throw StorageException.invalid("weight", "must be 0 (the hypervisor's default) or 1 to " + IoLimits.MAX_WEIGHT
                        + " (was " + weight + ")");
            }
            this.limits = l.withWeight((int) weight);
            try {
                QosPlanner.checkLimits(limits);
            } catch (StorageException e) {
                String key = e.field() == null ? null : e.field().replace('-', '.');
                throw new StorageException(StorageException.Reason.INVALID_ARGUMENT, key, key + ": " + e.getMessage(), e);
            }
        } catch (StorageException e) {
            LOG.error("Refused hypervisor limits configuration {}: {}", properties.get(Constants.SERVICE_PID), e.getMessage());
            throw e;
        }
    }

    private static Limit limit(Map<String, Object> properties, String key) {
        return Limit.of(number(properties, key));
    }

    private static long number(Map<String, Object> properties, String key) {
        Object v = properties.get(key);
        long n;
        if (v == null) {
            return 0;
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s) {
            try {
                n = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw StorageException.invalid(key, "must be a whole number (was '" + s + "')");
            }
        } else {
            throw StorageException.invalid(key, "must be a whole number (was " + v.getClass().getSimpleName() + " " + v + ")");
        }
        if (n < 0) {
            throw StorageException.invalid(key, "must be 0 (not set) or positive (was " + n + ")");
        }
        return n;
    }

    /** The {@code hypervisor.type} these limits are for. */
    public String type() {
        return type;
    }

    /** The limits, with the weight. */
    public IoLimits limits() {
        return limits;
    }
}
