package org.spindle.hyper.kvm.internal;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.Attribute;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/** What this service reads from a libvirt domain XML: its disks and disk controllers. */
final class DomainXml {

    /**
     * One {@code <disk>}.
     *
     * @param type         {@code network}, {@code volume}, {@code file}, …
     * @param dev          target dev ({@code sdb})
     * @param bus          target bus ({@code scsi})
     * @param alias        the alias ({@code ua-spindle-…} for ours), or null
     * @param sourceName   {@code source/@name} of a network disk, or null
     * @param sourcePool   {@code source/@pool} of a volume disk, or null
     * @param sourceVolume {@code source/@volume} of a volume disk, or null
     * @param secretUsage  {@code source/auth/secret/@usage} of a network disk with CHAP, or null
     * @param xml          the element itself, serialized (what detach hands back to libvirt)
     */
    record Disk(String type, String dev, String bus, String alias, String sourceName, String sourcePool, String sourceVolume,
                String secretUsage, String xml) {
        /** Whether QEMU reaches the disk over the network itself (an iSCSI LUN through libiscsi). */
        boolean isNetwork() {
            return "network".equals(type);
        }
    }

    /** One {@code <controller>}. */
    record Controller(String type, String index, String model) {
    }

    private final List<Disk> disks;
    private final List<Controller> controllers;

    private DomainXml(List<Disk> disks, List<Controller> controllers) {
        this.disks = List.copyOf(disks);
        this.controllers = List.copyOf(controllers);
    }

    /** Larger than any domain libvirt sends (its RPC strings end at 4-16 MiB, versions apart). */
    static final int MAX_CHARS = 32 << 20;

    /**
     * Reads the disks and controllers of a domain XML in one pass with StAX (the JDK's own implementation, no DTD, no
     * external entity); each disk's element is copied as it is read, for detach. A DOM parse and a Transformer to
     * serialize each disk cost a first attach in a fresh process 0.2-0.9 s of XML machinery loading; StAX a few ms.
     *
     * <p>libvirt never writes a DOCTYPE: a domain XML with one is refused before its DTD is looked at, so neither an
     * external entity (a file or URL read into the description) nor an entity expansion (billion laughs) can happen,
     * whatever a guest or tenant managed to put into the domain's metadata.
     */
    static DomainXml parse(String xml) {
        if (xml.length() > MAX_CHARS) {
            throw new StorageException(Reason.BACKEND_FAILURE, null, "libvirt returned a domain XML of " + xml.length()
                    + " characters, more than " + MAX_CHARS, null);
        }
        List<Disk> disks = new ArrayList<>();
        List<Controller> controllers = new ArrayList<>();
        try {
            XMLEventReader r = inputs().createXMLEventReader(new StringReader(xml));
            int depth = 0;
            boolean inDevices = false;
            while (r.hasNext()) {
                XMLEvent e = r.nextEvent();
                if (e.getEventType() == XMLStreamConstants.DTD || e.isEntityReference()) {
                    throw new StorageException(Reason.BACKEND_FAILURE, null, "libvirt returned a domain XML with a "
                            + (e.isEntityReference() ? "entity reference" : "DOCTYPE") + ", which libvirt never writes: refused", null);
                }
                if (e.isStartElement()) {
                    depth++;
                    StartElement start = e.asStartElement();
                    String name = start.getName().getLocalPart();
                    if (depth == 2 && "devices".equals(name)) {
                        inDevices = true;
                    } else if (depth == 3 && inDevices && "disk".equals(name)) {
                        disks.add(disk(start, r));
                        depth--; // read through its end
                    } else if (depth == 3 && inDevices && "controller".equals(name)) {
                        controllers.add(new Controller(attr(start, "type"), attr(start, "index"), attr(start, "model")));
                    }
                } else if (e.isEndElement()) {
                    if (depth == 2) {
                        inDevices = false;
                    }
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            String why = String.valueOf(e.getMessage()).replaceAll("[\\s\\p{Cntrl}\\p{Cf}]+", " ").strip();
            throw new StorageException(Reason.BACKEND_FAILURE, null, "libvirt returned unreadable domain XML: "
                    + (why.length() > 300 ? why.substring(0, 300) + "…" : why), e);
        }
        return new DomainXml(disks, controllers);
    }

    /** One {@code <disk>}, read from its start through its end, and copied as it is read. */
    private static Disk disk(StartElement disk, XMLEventReader r) throws XMLStreamException {
        StringWriter copy = new StringWriter();
        XMLEventWriter w = XMLOutputFactory.newDefaultFactory().createXMLEventWriter(copy);
        w.add(disk);
        StartElement target = null;
        StartElement source = null;
        StartElement alias = null;
        StartElement secret = null;
        boolean inAuth = false;
        int depth = 1;
        while (depth > 0) {
            XMLEvent e = r.nextEvent();
            w.add(e);
            if (e.isStartElement()) {
                depth++;
                StartElement s = e.asStartElement();
                String name = s.getName().getLocalPart();
                if (depth == 2) {
                    switch (name) {
                        case "target" -> target = s;
                        case "source" -> source = s;
                        case "alias" -> alias = s;
                        default -> { }
                    }
                } else if (depth == 3 && "auth".equals(name)) {
                    inAuth = true;
                } else if (depth == 4 && inAuth && "secret".equals(name)) {
                    secret = s;
                }
            } else if (e.isEndElement()) {
                if (depth == 3) {
                    inAuth = false;
                }
                depth--;
            }
        }
        w.close();
        return new Disk(attr(disk, "type"), attr(target, "dev"), attr(target, "bus"), attr(alias, "name"), attr(source, "name"),
                attr(source, "pool"), attr(source, "volume"), attr(secret, "usage"), copy.toString());
    }

    private static XMLInputFactory inputs() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f;
    }

    private static String attr(StartElement e, String name) {
        if (e == null) {
            return null;
        }
        Attribute a = e.getAttributeByName(new QName(name));
        return a == null ? null : a.getValue();
    }

    List<Disk> disks() {
        return disks;
    }

    List<Controller> controllers() {
        return controllers;
    }

    Optional<Disk> diskByAlias(String alias) {
        return disks.stream().filter(d -> alias.equals(d.alias())).findFirst();
    }

    Optional<Disk> diskByDev(String dev) {
        return disks.stream().filter(d -> dev.equals(d.dev())).findFirst();
    }

    boolean hasScsiController() {
        return controllers.stream().anyMatch(c -> "scsi".equals(c.type()));
    }
}
