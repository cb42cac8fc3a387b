package org.spindle.hyper.vmware.internal.vim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The request builder, the reply parser and fault reading, without a server. */
class XmlTest {
    static Element parse(String xml) throws IOException {
        return Xml.parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    @Test
    void requestsEscapeTextAndCarryTypesAndReferences() {
        String xml = Xml.el("spec").add(Xml.typed("device", "VirtualDisk").add("key", -100)
                .add(Xml.typed("backing", "VirtualDiskFlatVer2BackingInfo").add("fileName", "[ds <1>] a&b.vmdk")))
                .add("skipped", null).add(Xml.ref("datastore", new MoRef("Datastore", "ds-1"))).toString();
        assertEquals("<spec><device xsi:type=\"VirtualDisk\"><key>-100</key><backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">"
                + "<fileName>[ds &lt;1&gt;] a&amp;b.vmdk</fileName></backing></device>"
                + "<datastore type=\"Datastore\">ds-1</datastore></spec>", xml);
    }

    @Test
    void repliesWithADoctypeAreRefused() {
        String evil = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assertThrows(IOException.class, () -> parse(evil));
    }

    @Test
    void faultsAreReadByTheirTypeWithTheirMessageAndProperty() throws IOException {
        Element fault = parse("<soapenv:Fault xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><faultcode>ServerFaultCode</faultcode>"
                + "<faultstring>A specified parameter was not correct: spec.vmfs.volumeName</faultstring><detail>"
                + "<InvalidArgumentFault xmlns=\"urn:vim25\" xsi:type=\"InvalidArgument\"><invalidProperty>spec.vmfs.volumeName"
                + "</invalidProperty></InvalidArgumentFault></detail></soapenv:Fault>");
        VimFault f = VimConnection.fault(fault);
        assertEquals("InvalidArgument", f.type());
        assertEquals("spec.vmfs.volumeName", f.property());
        assertTrue(f.getMessage().contains("A specified parameter was not correct"), f.getMessage());

        Element untyped = parse("<Fault><faultstring>session gone</faultstring><detail><NotAuthenticatedFault/></detail></Fault>");
        assertEquals("NotAuthenticated", VimConnection.fault(untyped).type());
        Element bare = parse("<Fault><faultstring>boom</faultstring></Fault>");
        assertEquals("SoapFault", VimConnection.fault(bare).type());
    }

    @Test
    void aCreateSpecGoesBackAsVcenterMadeItWithTheVolumeName() throws IOException {
        Element spec = parse("<spec xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"VmfsDatastoreCreateSpec\">"
                + "<diskUuid>u1</diskUuid><partition><totalSectors>2048</totalSectors></partition><vmfs><extent><diskName>naa.1"
                + "</diskName><partition>1</partition></extent><majorVersion>6</majorVersion><volumeName></volumeName>"
                + "</vmfs></spec>");
        assertEquals("<spec xsi:type=\"VmfsDatastoreCreateSpec\"><diskUuid>u1</diskUuid><partition><totalSectors>2048"
                + "</totalSectors></partition><vmfs><extent><diskName>naa.1</diskName><partition>1</partition></extent>"
                + "<majorVersion>6</majorVersion><volumeName>spindle-x</volumeName></vmfs></spec>",
                VmfsSpec.withVolumeName(spec, "spindle-x").toString());
        // a reply without volumeName gets it after majorVersion, in schema order
        Element noName = parse("<spec><vmfs><extent><diskName>naa.1</diskName></extent><majorVersion>6</majorVersion>"
                + "<unmapPriority>low</unmapPriority></vmfs></spec>");
        assertEquals("<spec xsi:type=\"VmfsDatastoreCreateSpec\"><vmfs><extent><diskName>naa.1</diskName></extent>"
                + "<majorVersion>6</majorVersion><volumeName>v</volumeName><unmapPriority>low</unmapPriority></vmfs></spec>",
                VmfsSpec.withVolumeName(noName, "v").toString());
    }

    @Test
    void aPinnedFingerprintMustBeThirtyTwoPairs() {
        assertEquals("tls.fingerprint", assertThrows(org.spindle.storage.api.StorageException.class,
                () -> VimTrust.pinned("AB:CD")).field());
        assertTrue(VimTrust.pinned(" ab" + ":cd".repeat(31) + " ") instanceof VimTrust.Pinned p && p.fingerprint().startsWith("AB:CD"));
    }
}
