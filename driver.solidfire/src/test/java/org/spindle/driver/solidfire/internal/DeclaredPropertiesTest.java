package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.driver.DriverProperties;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The component property types on {@link SolidFireDriverComponent} are what the registered driver carries: the DS
 * descriptor bnd generated from them declares exactly {@link DriverLifecycle#DECLARED}.
 */
class DeclaredPropertiesTest {
    @Test
    void theDescriptorDeclaresTypeProtocolsAndQos() throws Exception {
        Path xml = Path.of("target/classes/OSGI-INF/" + SolidFireDriverComponent.PID + ".xml");
        assertTrue(Files.exists(xml), "bnd generates " + xml);
        NodeList props = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("property");
        Map<String, String[]> declared = new HashMap<>();
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            String value = p.hasAttribute("value") ? p.getAttribute("value") : p.getTextContent().strip();
            declared.put(p.getAttribute("name"), value.split("\\s*\\n\\s*"));
        }
        assertArrayEquals(new String[] {"solidfire"}, declared.get(DriverProperties.TYPE));
        assertEquals(DriverLifecycle.DECLARED.get(DriverProperties.TYPE), declared.get(DriverProperties.TYPE)[0]);
        assertArrayEquals((String[]) DriverLifecycle.DECLARED.get(DriverProperties.PROTOCOLS), declared.get(DriverProperties.PROTOCOLS));
        assertArrayEquals((String[]) DriverLifecycle.DECLARED.get(DriverProperties.QOS), declared.get(DriverProperties.QOS));
        // and what the component passes on is its own properties, not the defaults
        Map<String, Object> own = DriverLifecycle.declared(Map.of(DriverProperties.QOS, new String[] {"MIN_IOPS"}));
        assertArrayEquals(new String[] {"MIN_IOPS"}, (String[]) own.get(DriverProperties.QOS));
    }
}
