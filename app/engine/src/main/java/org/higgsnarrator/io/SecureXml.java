package org.higgsnarrator.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * XML parsing for untrusted files (EPUB package documents, DOCX parts, PLS lexicons): no DTDs, no external entities
 * or schemas, no XInclude, entity expansion limited by secure processing — so XXE and "billion laughs" files are
 * refused instead of read. Namespace aware; elements are found by local name.
 */
public final class SecureXml {
    private SecureXml() {}

    public static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature: " + e.getMessage(), e);
        }
    }

    /** Parses {@code xml}; a bad or unsafe document fails naming {@code file} and {@code part}. */
    public static Document parse(byte[] xml, Path file, String part) throws IOException {
        try {
            return builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            String m = String.valueOf(e.getMessage());
            String why = m.contains("DOCTYPE") ? "declares a DTD, which is refused (it could read local files or expand without bound)" : "is not well-formed XML (" + m + ")";
            throw new IOException(file.getFileName() + ": " + part + " " + why, e);
        }
    }

    /** First descendant element with this local name, or null. */
    public static Element first(Node root, String localName) {
        NodeList l = root instanceof Document d ? d.getElementsByTagNameNS("*", localName) : ((Element) root).getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    /** All descendant elements with this local name, in document order. */
    public static java.util.List<Element> all(Node root, String localName) {
        NodeList l = root instanceof Document d ? d.getElementsByTagNameNS("*", localName) : ((Element) root).getElementsByTagNameNS("*", localName);
        java.util.List<Element> out = new java.util.ArrayList<>(l.getLength());
        for (int i = 0; i < l.getLength(); i++) out.add((Element) l.item(i));
        return out;
    }

    /** Direct child elements with this local name. */
    public static java.util.List<Element> children(Element parent, String localName) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
            if (n instanceof Element e && localName.equals(e.getLocalName())) out.add(e);
        return out;
    }

    public static String text(Element e) {
        return e == null ? "" : e.getTextContent().strip();
    }
}
