package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.shell.completers.VolumeCompleter;

/**
 * A command that changes one volume: the volume is the first argument, the work is one call of
 * {@link VolumeService}. Karaf injects the fields of superclasses too; further arguments start at index 1.
 */
abstract class VolumeCommand implements Action {
    @Argument(index = 0, name = "volume", description = "The volume's name or id", required = true)
    @Completion(VolumeCompleter.class)
    String volume;

    @Reference
    VolumeService volumes;
}
