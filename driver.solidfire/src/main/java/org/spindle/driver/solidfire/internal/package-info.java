/**
 * The SolidFire driver: the DS component that turns one factory configuration into one
 * {@link org.spindle.storage.api.driver.StorageDriver} service, and the driver's parts (settings, QoS rules,
 * naming, accounts, access groups, error mapping). Private: the bundle exports nothing.
 */
package org.spindle.driver.solidfire.internal;
