package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

class DomainXmlTest {

    @Test
    void readsDisksAndControllers() {
        UUID id = UUID.randomUUID();
        String disk = DiskXml.iscsiDisk("iqn.2010-01.com.solidfire:abc.vol1.7", 1, Portal.iscsi("10.0.0.5"), "iqn.2024-01.org.x:h1",
                new Chap("acct", Secret.of("s3cr3t-value")), ChapSecrets.usage(id, "vm1"), "sdb", "scsi", DiskXml.alias(id),
                IoTune.of(new IoLimits(Limit.of(100), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)));
        assertFalse(disk.contains("s3cr3t-value"), "the CHAP secret never goes into domain XML");
        String xml = "<domain type='qemu'><name>vm1</name><devices>"
                + "<disk type='file' device='disk'><source file='/x.img'/><target dev='sda' bus='sata'/><alias name='sata0-0-0'/></disk>"
                + disk
                + "<controller type='scsi' index='0' model='virtio-scsi'/><controller type='pci' index='0' model='pci-root'/>"
                + "</devices></domain>";
        DomainXml d = DomainXml.parse(xml);
        assertEquals(2, d.disks().size());
        assertTrue(d.hasScsiController());
        DomainXml.Disk ours = d.diskByAlias(DiskXml.alias(id)).orElseThrow();
        assertEquals("sdb", ours.dev());
        assertEquals("network", ours.type());
        assertTrue(ours.isNetwork());
        assertTrue(disk.contains("<host name='10.0.0.5' port='3260'/>"), disk);
        assertTrue(disk.contains("<auth username='acct'><secret type='iscsi' usage='spindle-vm1-" + id + "'/></auth>"), disk);
        assertEquals("scsi", ours.bus());
        assertEquals("iqn.2010-01.com.solidfire:abc.vol1.7/1", ours.sourceName());
        assertTrue(ours.xml().startsWith("<disk ") && ours.xml().contains("type=\"network\""), ours.xml());
        assertEquals("sda", d.diskByDev("sda").orElseThrow().dev());
        assertFalse(DomainXml.parse("<domain><devices/></domain>").hasScsiController());
        assertFalse(d.diskByDev("sda").orElseThrow().isNetwork());
    }

    @Test
    void anIpv6PortalIsTheBareAddress() {
        String disk = DiskXml.iscsiDisk("iqn.2010-01.com.example:v6", 0, Portal.parse("[fd00::5]:3261", 3260), "iqn.2024-01.org.x:h1",
                null, null, "sdc", "scsi", "ua-x", IoTune.of(IoLimits.NONE));
        assertTrue(disk.contains("<host name='fd00::5' port='3261'/>"), disk);
        assertFalse(disk.contains("["), disk);
        assertFalse(disk.contains("<auth"), "no CHAP, no auth: " + disk);
    }

    @Test
    void escapesValues() {
        String v = DiskXml.volumeDisk("p'o<o>l", "v&1", "sdc", "scsi", "ua-x", IoTune.of(IoLimits.NONE));
        assertTrue(v.contains("pool='p&apos;o&lt;o&gt;l' volume='v&amp;1'"), v);
        assertEquals(List.of(), DomainXml.parse("<domain><devices>" + v + "</devices></domain>").controllers());
        assertEquals("p'o<o>l", DomainXml.parse("<domain><devices>" + v + "</devices></domain>").disks().get(0).sourcePool());
    }

    @Test
    void theWarmUpRunsTheAttachStepsThatNeedNoLibvirt() {
        // HostCalls logs a failing warm-up at debug only: a warm-up broken by a change to these steps shows here
        WarmUp.run();
    }

    @Test
    void aDisksElementIsCopiedAsReadForDetach() {
        String xml = "<domain><name>a &amp; b</name><devices><disk type='network' device='disk'><driver name='qemu'/>"
                + "<source protocol='iscsi' name='iqn.x:y/1'><host name='127.0.0.1' port='3260'/>"
                + "<auth username='u&amp;1'><secret type='iscsi' usage='spindle-a-b'/></auth></source>"
                + "<target dev='sdb' bus='scsi'/><alias name='ua-spindle-1'/></disk></devices></domain>";
        DomainXml.Disk d = DomainXml.parse(xml).disks().get(0);
        assertEquals("spindle-a-b", d.secretUsage());
        DomainXml.Disk again = DomainXml.parse("<domain><devices>" + d.xml() + "</devices></domain>").disks().get(0);
        assertEquals(List.of(d.type(), d.dev(), d.bus(), d.alias(), d.sourceName(), d.secretUsage()),
                List.of(again.type(), again.dev(), again.bus(), again.alias(), again.sourceName(), again.secretUsage()),
                "the copy reads back the same: " + d.xml());
        assertTrue(d.xml().contains("username=\"u&amp;1\""), d.xml());
    }
    @Test
    void anExternalEntityIsRefusedAndNothingIsRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "TOPSECRET-MARKER");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE domain [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<domain><name>&xxe;</name><description>&xxe;</description><devices/></domain>";
        StorageException e = assertThrows(StorageException.class, () -> DomainXml.parse(xml));
        assertEquals("libvirt returned a domain XML with a DOCTYPE, which libvirt never writes: refused", e.getMessage());
        assertEquals(StorageException.Reason.BACKEND_FAILURE, e.reason());
        assertFalse(String.valueOf(e.getCause()).contains("TOPSECRET"));
    }

    @Test
    void anExternalDtdOrParameterEntityIsNeverFetched() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a fetch would connect here: counted, then hung up on at once (the parser fails instead of waiting)
            Thread accepter = new Thread(() -> {
                while (!peer.isClosed()) {
                    try (Socket s = peer.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "xxe-peer");
            accepter.setDaemon(true);
            accepter.start();
            String url = "http://127.0.0.1:" + peer.getLocalPort() + "/x";
            for (String xml : List.of(
                    "<!DOCTYPE domain SYSTEM \"" + url + ".dtd\"><domain><devices/></domain>",
                    "<!DOCTYPE domain [<!ENTITY % p SYSTEM \"" + url + ".ent\"> %p;]><domain><devices/></domain>",
                    "<domain><devices><disk type='file'><source file='&ext;'/></disk></devices></domain>")) {
                StorageException e = assertThrows(StorageException.class, () -> DomainXml.parse(xml), xml);
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
        }
        assertEquals(0, connections.get(), "nothing was fetched");
    }

    @Test
    void entityExpansionIsRefused() {
        String laughs = "<!DOCTYPE domain [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + "<domain><name>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</name><devices/></domain>";
        assertThrows(StorageException.class, () -> DomainXml.parse(laughs));
    }

    @Test
    void deepNestingAndLongTextAreReadWithoutRecursion() {
        String deep = "<domain><metadata>" + "<x>".repeat(10_000) + "</x>".repeat(10_000) + "</metadata><devices>"
                + "<controller type='scsi' index='0' model='virtio-scsi'/></devices><description>" + "d".repeat(100_000)
                + "</description></domain>";
        assertTrue(DomainXml.parse(deep).hasScsiController());
        assertThrows(StorageException.class, () -> DomainXml.parse("<domain>" + " ".repeat(DomainXml.MAX_CHARS)
                + "</domain>"));
    }
}
