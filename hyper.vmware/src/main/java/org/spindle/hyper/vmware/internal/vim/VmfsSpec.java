package org.spindle.hyper.vmware.internal.vim;

import java.util.List;

import org.w3c.dom.Element;

/**
 * Turns the {@code VmfsDatastoreCreateSpec} that QueryVmfsDatastoreCreateOptions returned back into a request
 * element with the volume name set: the spec goes back as vCenter made it (partition layout, extent, VMFS
 * version); only {@code vmfs.volumeName} is Spindle's.
 */
final class VmfsSpec {
    /** HostVmfsSpec's fields in schema order; volumeName goes after majorVersion when the reply left it out. */
    private static final List<String> BEFORE_NAME = List.of("extent", "blockSizeMb", "majorVersion");

    private VmfsSpec() {
    }

    static Xml.El withVolumeName(Element spec, String volumeName) {
        Xml.El out = Xml.typed("spec", Xml.xsiType(spec).isEmpty() ? "VmfsDatastoreCreateSpec" : Xml.xsiType(spec));
        for (Element k : Xml.children(spec)) {
            out.add("vmfs".equals(k.getLocalName()) ? vmfs(k, volumeName) : copy(k.getLocalName(), k));
        }
        return out;
    }

    /** A spec vCenter made, sent back unchanged (e.g. a {@code VmfsDatastoreExpandSpec}). */
    static Xml.El asIs(Element spec) {
        return copy("spec", spec);
    }

    private static Xml.El vmfs(Element vmfs, String volumeName) {
        Xml.El out = Xml.el("vmfs");
        boolean named = false;
        for (Element k : Xml.children(vmfs)) {
            String n = k.getLocalName();
            if ("volumeName".equals(n)) {
                out.add(Xml.value("volumeName", volumeName));
                named = true;
                continue;
            }
            if (!named && !BEFORE_NAME.contains(n)) {
                out.add(Xml.value("volumeName", volumeName));
                named = true;
            }
            out.add(copy(n, k));
        }
        if (!named) {
            out.add(Xml.value("volumeName", volumeName));
        }
        return out;
    }

    private static Xml.El copy(String name, Element e) {
        String type = Xml.xsiType(e);
        List<Element> kids = Xml.children(e);
        if (kids.isEmpty()) {
            return type.isEmpty() ? Xml.value(name, e.getTextContent()) : Xml.typedValue(name, type, e.getTextContent());
        }
        Xml.El out = type.isEmpty() ? Xml.el(name) : Xml.typed(name, type);
        for (Element k : kids) {
            out.add(copy(k.getLocalName(), k));
        }
        return out;
    }
}
