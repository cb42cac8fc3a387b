package org.spindle.hyper.kvm.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

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

    static DomainXml parse(String xml) {
        Document doc = document(xml);
        List<Disk> disks = new ArrayList<>();
        List<Controller> controllers = new ArrayList<>();
        Element devices = child(doc.getDocumentElement(), "devices");
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                Element target = child(disk, "target");
                Element source = child(disk, "source");
                Element alias = child(disk, "alias");
                Element secret = child(child(source, "auth"), "secret");
                disks.add(new Disk(attr(disk, "type"), attr(target, "dev"), attr(target, "bus"), attr(alias, "name"), attr(source, "name"),
                        attr(source, "pool"), attr(source, "volume"), attr(secret, "usage"), serialize(disk)));
            }
            for (Element c : children(devices, "controller")) {
                controllers.add(new Controller(attr(c, "type"), attr(c, "index"), attr(c, "model")));
            }
        }
        return new DomainXml(disks, controllers);
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

    // --- DOM helpers

    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("libvirt returned unreadable domain XML: " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList list = parent.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e && name.equals(e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String attr(Element e, String name) {
        if (e == null || !e.hasAttribute(name)) {
            return null;
        }
        return e.getAttribute(name);
    }

    private static String serialize(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (TransformerException ex) {
            throw new IllegalStateException("cannot serialize a disk element: " + ex.getMessage(), ex);
        }
    }
}
