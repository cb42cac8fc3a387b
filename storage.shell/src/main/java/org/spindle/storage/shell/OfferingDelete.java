package org.spindle.storage.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.shell.completers.OfferingCompleter;

@Command(scope = "storage", name = "offering-delete",
        description = "Deletes a disk offering; volumes made from it keep their QoS.")
@Service
public class OfferingDelete implements Action {
    @Argument(index = 0, name = "name", description = "The offering's name", required = true)
    @Completion(OfferingCompleter.class)
    String name;

    @Reference
    OfferingService offerings;

    @Override
    public Object execute() {
        offerings.delete(name);
        System.out.println("Offering " + name + " deleted");
        return null;
    }
}
