/**
 * QoS planning: reconciles what a volume asks for (storage guarantees and hypervisor limits) with what
 * the pool's driver and the attach service declare they enforce, and refuses what nobody would enforce
 * or what contradicts itself. Pure values and functions; no OSGi.
 */
package org.spindle.storage.core.internal.qos;
