package org.spindle.storage.shell.completers;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;

/** Names of the volumes that are not destroyed. */
@Service
public class VolumeCompleter extends NameCompleter {
    @Reference
    VolumeService volumes;

    @Override
    Stream<String> names() {
        return volumes.list(false).stream().map(Volume::name);
    }
}
