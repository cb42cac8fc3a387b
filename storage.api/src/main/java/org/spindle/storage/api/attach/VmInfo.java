package org.spindle.storage.api.attach;

/**
 * A VM as its hypervisor sees it.
 *
 * @param name    the VM's name
 * @param host    the host it runs on
 * @param running whether it runs (a stopped VM gets a configuration-only attach)
 */
public record VmInfo(String name, String host, boolean running) {
}
