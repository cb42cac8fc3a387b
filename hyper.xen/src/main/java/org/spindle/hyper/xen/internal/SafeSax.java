package org.spindle.hyper.xen.internal;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.apache.xmlrpc.util.SAXParsers;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;

/**
 * The SAX parser factory the embedded Apache XML-RPC client parses every XenAPI reply with, hardened: the JDK's
 * own parser with DOCTYPEs refused (so no entity, internal or external, and no external DTD is ever read: an XML-RPC
 * reply never has one), secure processing on, no XInclude, and elements nested at most {@value #MAX_DEPTH} deep (a
 * XenAPI reply nests about 12: methodResponse/params/param/value/struct/member/value/struct/member/value/array/…).
 * <p>
 * XML-RPC 3.1.3's own factory only turns external general entities off: a parameter entity could still fetch an
 * external DTD, and an internal entity could expand. The library takes its factory from one static field,
 * {@link SAXParsers#setSAXParserFactory}; the library is embedded in this bundle and private to it, so setting it
 * here changes no other bundle's parsing. Setting it again (each pool does) is harmless.
 */
final class SafeSax extends SAXParserFactory {
    static final int MAX_DEPTH = 64;
    private static final String MAX_DEPTH_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

    private final SAXParserFactory jdk;

    private SafeSax() throws ParserConfigurationException, SAXException {
        jdk = SAXParserFactory.newDefaultInstance();
        jdk.setNamespaceAware(true);
        jdk.setValidating(false);
        jdk.setXIncludeAware(false);
        jdk.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        jdk.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        jdk.setFeature("http://xml.org/sax/features/external-general-entities", false);
        jdk.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        jdk.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        setNamespaceAware(true);
    }

    /** Makes XML-RPC parse with this factory. */
    static void install() {
        if (!(SAXParsers.getSAXParserFactory() instanceof SafeSax)) {
            try {
                SAXParsers.setSAXParserFactory(new SafeSax());
            } catch (ParserConfigurationException | SAXException e) {
                throw new IllegalStateException("the JDK's XML parser cannot be hardened: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public SAXParser newSAXParser() throws ParserConfigurationException, SAXException {
        SAXParser p = jdk.newSAXParser();
        p.setProperty(MAX_DEPTH_PROPERTY, Integer.toString(MAX_DEPTH));
        // the parser's default handler prints each fatal error to stderr; the error reaches the caller anyway
        p.getXMLReader().setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                throw e;
            }
        });
        return p;
    }

    /** Features stay as hardened above: a caller may only ask for what is already so. */
    @Override
    public void setFeature(String name, boolean value) throws SAXNotRecognizedException, SAXNotSupportedException {
        try {
            if (jdk.getFeature(name) != value) {
                throw new SAXNotSupportedException(name + " is fixed at " + !value + " for XenAPI replies");
            }
        } catch (ParserConfigurationException e) {
            throw new SAXNotSupportedException(name + ": " + e.getMessage());
        }
    }

    @Override
    public boolean getFeature(String name) throws ParserConfigurationException, SAXNotRecognizedException, SAXNotSupportedException {
        return jdk.getFeature(name);
    }
}
