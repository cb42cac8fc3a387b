package org.spindle.hyper.vmware.internal.vim;

import org.w3c.dom.Element;

/** The managers of a vSphere service this client uses, from RetrieveServiceContent. */
public record ServiceContent(MoRef rootFolder, MoRef propertyCollector, MoRef searchIndex, MoRef sessionManager,
                             MoRef viewManager, MoRef virtualDiskManager, MoRef fileManager, MoRef perfManager,
                             String apiVersion) {

    static ServiceContent of(Element rc) {
        return new ServiceContent(ref(rc, "rootFolder"), ref(rc, "propertyCollector"), ref(rc, "searchIndex"),
                ref(rc, "sessionManager"), ref(rc, "viewManager"), ref(rc, "virtualDiskManager"), ref(rc, "fileManager"),
                ref(rc, "perfManager"), Xml.text(rc, "about/apiVersion"));
    }

    private static MoRef ref(Element rc, String name) {
        return Xml.child(rc, name).map(Xml::moRef).orElseThrow(() ->
                new VimFault("InvalidResponse", "the service content has no " + name, null));
    }
}
