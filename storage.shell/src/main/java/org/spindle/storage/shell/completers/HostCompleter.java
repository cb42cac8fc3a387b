package org.spindle.storage.shell.completers;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;

/** Host names ({@code hypervisor.host}) of the attach services the core is bound to. */
@Service
public class HostCompleter extends NameCompleter {
    @Reference
    StorageRuntime runtime;

    @Override
    Stream<String> names() {
        return runtime.attachServices().stream()
                .filter(s -> s.status() == ServiceStatus.BOUND)
                .map(AttachServiceInfo::host);
    }
}
