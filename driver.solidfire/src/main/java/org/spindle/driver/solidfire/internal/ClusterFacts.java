package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.Portal;

/**
 * What discovery learned about a cluster: the API version in use, its name and unique id, the iSCSI portal
 * (the SVIP on 3260), the QoS it gives volumes by default and its limits.
 */
record ClusterFacts(ApiVersion version, String clusterName, String uniqueId, Portal portal, Wire.Qos clusterDefaults,
                    ClusterLimits limits) {
}
