package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.Wire;

/**
 * What discovery learned about a cluster: the API version in use, its name and unique id, the iSCSI portal
 * ({@code svip:3260}) and the QoS it gives volumes by default.
 */
record ClusterFacts(ApiVersion version, String clusterName, String uniqueId, String portal, Wire.Qos clusterDefaults) {
}
