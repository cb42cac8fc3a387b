package org.spindle.storage.shell.completers;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;

/**
 * What {@code --host} accepts: the hosts ({@code hypervisor.hosts}) and the names ({@code hypervisor.service})
 * of the attach services the core is bound to.
 */
@Service
public class HostCompleter extends NameCompleter {
    @Reference
    StorageRuntime runtime;

    @Override
    Stream<String> names() {
        return runtime.attachServices().stream()
                .filter(s -> s.status() == ServiceStatus.BOUND)
                .flatMap(s -> Stream.concat(Stream.of(s.service()), s.hosts().stream()));
    }
}
