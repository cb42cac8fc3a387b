package org.spindle.hyper.vmware.internal.vim;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.spindle.storage.api.StorageException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The XML side of the vSphere SOAP API: an element builder for requests (children in the order the vim25 schema
 * lists them; {@code xsi:type} where a field holds a subtype) and read helpers over a parsed reply. Replies are
 * parsed with the JDK's DOM parser, namespace-aware, with DOCTYPEs refused (so no entity and no external DTD is
 * ever read), no external entity resolved, secure processing on and elements nested at most {@value #MAX_DEPTH}
 * deep (vim25 replies nest about 20: Envelope/Body/RetrievePropertiesExResponse/returnval/objects/propSet/val/…).
 */
public final class Xml {
    static final String VIM = "urn:vim25";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final int MAX_DEPTH = 100;
    /** The key under which a reply's document holds the method it answers (for error messages). */
    static final String METHOD = "spindle.vim.method";

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

    static Document parse(InputStream body) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", Integer.toString(MAX_DEPTH));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(body);
        } catch (org.xml.sax.SAXParseException e) {
            throw new IOException("unreadable XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                    + ReplyLimit.clip(e.getMessage()), e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("unreadable XML: " + ReplyLimit.clip(e.getMessage()), e);
        }
    }

    /** A value of the reply that is not what vim25 sends there, naming the method it answers. */
    static StorageException wrong(Element where, String path, String what) {
        Object method = where == null || where.getOwnerDocument() == null ? null : where.getOwnerDocument().getUserData(METHOD);
        return new StorageException(StorageException.Reason.BACKEND_FAILURE, null, "vCenter answered "
                + (method == null ? "a call" : method) + " with " + path + " " + what, null);
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
        try {
            return t.isEmpty() ? absent : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw wrong(parent, path, "'" + ReplyLimit.clip(t) + "', not a whole number");
        }
    }

    /** The {@code xsi:type} of an element without its prefix, or "" when it has none. */
    public static String xsiType(Element e) {
        String t = e.getAttributeNS(XSI, "type");
        int colon = t.indexOf(':');
        return colon < 0 ? t : t.substring(colon + 1);
    }

    /** A managed object reference: a type of letters and an id of at most 256 characters without control characters. */
    public static MoRef moRef(Element e) {
        String type = e.getAttribute("type");
        String value = e.getTextContent().trim();
        if (!type.matches("[A-Za-z]{1,64}") || value.isEmpty() || value.length() > 256
                || value.chars().anyMatch(Character::isISOControl)) {
            throw wrong(e, e.getLocalName(), "'" + ReplyLimit.clip(type) + ":" + ReplyLimit.clip(value) + "', not a managed object reference");
        }
        return new MoRef(type, value);
    }
}
