package org.spindle.storage.api.attach;

import java.util.Objects;

/**
 * A VM as its hypervisor sees it.
 *
 * @param id      its stable identity on the hypervisor (libvirt UUID, Xen VM uuid, vSphere instance UUID or
 *                moref): the attachment records it, and later calls find the VM by it, whatever its name
 *                or host then
 * @param name    its name as the hypervisor shows it (vCenter names may contain spaces and repeat)
 * @param host    the host it runs on now
 * @param running whether it runs (a stopped VM gets a configuration-only attach)
 */
public record VmInfo(String id, String name, String host, boolean running) {
    public VmInfo {
        Objects.requireNonNull(id, "vm.id");
        Objects.requireNonNull(name, "vm.name");
    }
}
