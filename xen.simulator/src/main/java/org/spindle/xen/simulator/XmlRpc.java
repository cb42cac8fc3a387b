package org.spindle.xen.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The XML-RPC encoding as xapi uses it (wire reference §2.1): a value without a type element is a string,
 * 64-bit ints travel as strings of digits, enums as strings, maps as structs, sets as arrays, {@code void}
 * as {@code ""}. Every reply is a struct {@code Status}/{@code Value} or {@code Status}/{@code ErrorDescription}.
 */
final class XmlRpc {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private XmlRpc() {
    }

    /** A parsed {@code methodCall}. */
    record Call(String method, List<Object> params) {
    }

    /** A request body that is no XML-RPC call (xapi answers those with HTTP 500). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static Call parse(byte[] body) throws Malformed {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new Malformed("not XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!"methodCall".equals(root.getTagName())) {
            throw new Malformed("root element is " + root.getTagName() + ", not methodCall");
        }
        Element name = child(root, "methodName");
        if (name == null || name.getTextContent().isBlank()) {
            throw new Malformed("methodCall without methodName");
        }
        List<Object> params = new ArrayList<>();
        Element ps = child(root, "params");
        if (ps != null) {
            for (Element p : children(ps, "param")) {
                Element v = child(p, "value");
                if (v == null) {
                    throw new Malformed("param without value");
                }
                params.add(value(v));
            }
        }
        return new Call(name.getTextContent().trim(), params);
    }

    private static Object value(Element v) throws Malformed {
        Element typed = firstElement(v);
        if (typed == null) {
            return v.getTextContent();
        }
        String text = typed.getTextContent();
        switch (typed.getTagName()) {
            case "string":
                return text;
            case "int":
            case "i4":
            case "i8":
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new Malformed("bad int " + text);
                }
            case "boolean":
                return "1".equals(text.trim());
            case "double":
                return Double.parseDouble(text.trim());
            case "dateTime.iso8601":
                return text.trim();
            case "array": {
                List<Object> out = new ArrayList<>();
                Element data = child(typed, "data");
                if (data != null) {
                    for (Element e : children(data, "value")) {
                        out.add(value(e));
                    }
                }
                return out;
            }
            case "struct": {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Element m : children(typed, "member")) {
                    Element n = child(m, "name");
                    Element mv = child(m, "value");
                    if (n == null || mv == null) {
                        throw new Malformed("struct member without name or value");
                    }
                    out.put(n.getTextContent(), value(mv));
                }
                return out;
            }
            default:
                throw new Malformed("unknown XML-RPC type " + typed.getTagName());
        }
    }

    static String success(Object value) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Status", "Success");
        r.put("Value", value == null ? "" : value);
        return response(r);
    }

    static String failure(List<String> description) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Status", "Failure");
        r.put("ErrorDescription", description);
        return response(r);
    }

    private static String response(Map<String, Object> struct) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<methodResponse><params><param>");
        encode(b, struct);
        return b.append("</param></params></methodResponse>\n").toString();
    }

    /** xapi's encoding: ints as strings, maps as structs, collections as arrays. */
    static void encode(StringBuilder b, Object v) {
        b.append("<value>");
        if (v == null) {
            // xapi never sends nil; a null is an empty string
        } else if (v instanceof String s) {
            escape(b, s);
        } else if (v instanceof Long || v instanceof Integer) {
            escape(b, v.toString());
        } else if (v instanceof Boolean bool) {
            b.append("<boolean>").append(bool ? "1" : "0").append("</boolean>");
        } else if (v instanceof Double d) {
            b.append("<double>").append(d).append("</double>");
        } else if (v instanceof Instant t) {
            b.append("<dateTime.iso8601>").append(DATE.format(t)).append("</dateTime.iso8601>");
        } else if (v instanceof Map<?, ?> m) {
            b.append("<struct>");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append("<member><name>");
                escape(b, String.valueOf(e.getKey()));
                b.append("</name>");
                encode(b, e.getValue());
                b.append("</member>");
            }
            b.append("</struct>");
        } else if (v instanceof Collection<?> c) {
            b.append("<array><data>");
            for (Object o : c) {
                encode(b, o);
            }
            b.append("</data></array>");
        } else if (v instanceof Enum<?> e) {
            escape(b, e.toString());
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass());
        }
        b.append("</value>");
    }

    private static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                default -> b.append(c);
            }
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }
}
