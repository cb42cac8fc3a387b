package org.spindle.storage.shell.completers;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.StorageRuntime;

/** Pool names. */
@Service
public class PoolCompleter extends NameCompleter {
    @Reference
    StorageRuntime runtime;

    @Override
    Stream<String> names() {
        return runtime.pools().stream().map(PoolInfo::name);
    }
}
