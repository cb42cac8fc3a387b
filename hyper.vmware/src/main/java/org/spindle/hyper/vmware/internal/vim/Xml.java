package org.spindle.hyper.vmware.internal.vim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The XML side of the vSphere SOAP API: an element builder for requests (children in the order the vim25 schema
 * lists them; {@code xsi:type} where a field holds a subtype) and read helpers over a parsed reply. Replies are
 * parsed with the JDK's DOM parser, namespace-aware, with DOCTYPEs refused and no external entity resolved.
 */
public final class Xml {
    static final String VIM = "urn:vim25";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private Xml() {
    }

    /** One request element; {@link #toString()} is its XML. */
    public static class El {
        private final String name;
        private final String type;
        private final String text;
        private final List<El> children = new ArrayList<>();

        private El(String name, String type, String text) {
            this.name = name;
            this.type = type;
            this.text = text;
        }

        /** Adds a child element; {@code null} children are skipped so optional fields read naturally. */
        public El add(El child) {
            if (child != null) {
                children.add(child);
            }
            return this;
        }

        /** Adds a child with text; skipped when {@code value} is null. */
        public El add(String child, Object value) {
            return value == null ? this : add(new El(child, null, String.valueOf(value)));
        }

        void write(StringBuilder out) {
            out.append('<').append(name);
            if (type != null) {
                out.append(" xsi:type=\"").append(escape(type)).append('"');
            }
            out.append('>');
            if (text != null) {
                out.append(escape(text));
            }
            for (El c : children) {
                c.write(out);
            }
            out.append("</").append(name).append('>');
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            write(out);
            return out.toString();
        }
    }

    public static El el(String name) {
        return new El(name, null, null);
    }

    /** An element with text. */
    public static El value(String name, Object value) {
        return new El(name, null, String.valueOf(value));
    }

    /** An element with a subtype and text. */
    public static El typedValue(String name, String type, Object value) {
        return new El(name, type, String.valueOf(value));
    }

    /** An element holding a subtype of its declared type (vSphere's {@code xsi:type}). */
    public static El typed(String name, String type) {
        return new El(name, type, null);
    }

    /** A managed object reference element ({@code <name type="T">value</name>}). */
    public static El ref(String name, MoRef ref) {
        return new El(name, null, null) {
            @Override
            void write(StringBuilder out) {
                out.append('<').append(name).append(" type=\"").append(escape(ref.type())).append("\">")
                        .append(escape(ref.value())).append("</").append(name).append('>');
            }
        };
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static Document parse(byte[] body) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("unreadable SOAP reply: " + e.getMessage(), e);
        }
    }

    /** The element children of {@code parent} with the local name {@code name}. */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every element child of {@code parent}. */
    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    public static Optional<Element> child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    /** The text of the child {@code path} (names separated by '/'), or "" when absent. */
    public static String text(Element parent, String path) {
        Element e = parent;
        for (String step : path.split("/")) {
            Optional<Element> next = child(e, step);
            if (next.isEmpty()) {
                return "";
            }
            e = next.get();
        }
        return e.getTextContent().trim();
    }

    public static long longText(Element parent, String path, long absent) {
        String t = text(parent, path);
        return t.isEmpty() ? absent : Long.parseLong(t);
    }

    /** The {@code xsi:type} of an element without its prefix, or "" when it has none. */
    public static String xsiType(Element e) {
        String t = e.getAttributeNS(XSI, "type");
        int colon = t.indexOf(':');
        return colon < 0 ? t : t.substring(colon + 1);
    }

    public static MoRef moRef(Element e) {
        return new MoRef(e.getAttribute("type"), e.getTextContent().trim());
    }
}
