package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.shell.completers.PoolCompleter;
import org.spindle.storage.shell.internal.Describe;
import org.spindle.storage.shell.internal.Errors;

@Command(scope = "storage", name = "pool-show", description = "Shows a pool: tags, protocol, driver, capacity.")
@Service
public class PoolShow extends ReadCommand {
    @Argument(index = 0, name = "pool", description = "The pool's name", required = true)
    @Completion(PoolCompleter.class)
    String pool;

    @Reference
    StorageRuntime runtime;

    @Override
    public Object execute() {
        PoolInfo info = runtime.pool(pool).orElseThrow(() -> Errors.notFound("pool", pool));
        print(info, out -> Describe.pool(info).print(out));
        return null;
    }
}
