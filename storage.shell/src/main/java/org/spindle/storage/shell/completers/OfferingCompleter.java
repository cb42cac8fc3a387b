package org.spindle.storage.shell.completers;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;

/** Offering names. */
@Service
public class OfferingCompleter extends NameCompleter {
    @Reference
    OfferingService offerings;

    @Override
    Stream<String> names() {
        return offerings.list().stream().map(Offering::name);
    }
}
