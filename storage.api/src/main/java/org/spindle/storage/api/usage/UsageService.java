package org.spindle.storage.api.usage;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Usage for billing systems. The core samples every live volume once per period (configuration
 * {@code org.spindle.storage.usage}, {@code period.seconds}), and also at every change of size, QoS or
 * attachment, so that rates are weighted exactly. Provided by the Spindle core.
 */
@ProviderType
public interface UsageService {
    /** The records of every period overlapping the query's span, by volume then period. */
    List<UsageRecord> usage(UsageQuery query);

    /** Samples every live volume now, closing what the current period has so far (for tests and operators). */
    void sample();
}
