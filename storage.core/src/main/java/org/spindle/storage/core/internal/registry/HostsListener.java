package org.spindle.storage.core.internal.registry;

/** Told when the hosts or initiators of a bound attach service change (its properties were modified). */
@FunctionalInterface
public interface HostsListener {
    /**
     * {@code before} and {@code after} have the same identity; their {@code hypervisor.hosts} or
     * {@code hypervisor.initiators} differ. Called on the registry's thread: hand the work off, never throw.
     */
    void hostsChanged(BoundAttach before, BoundAttach after);
}
