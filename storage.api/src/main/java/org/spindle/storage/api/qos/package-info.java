/**
 * Quality of service in one data model with two sides: guarantees the SAN gives
 * ({@link org.spindle.storage.api.qos.StorageQos}) and limits the hypervisor enforces
 * ({@link org.spindle.storage.api.qos.IoLimits}). The core reconciles both into a
 * {@link org.spindle.storage.api.qos.QosPlan}; what each side really enforces is read back as
 * {@link org.spindle.storage.api.qos.AppliedQos}, and a difference from the plan is a
 * {@link org.spindle.storage.api.qos.QosDrift}. In every value, 0 means "not set".
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.spindle.storage.api.qos;
