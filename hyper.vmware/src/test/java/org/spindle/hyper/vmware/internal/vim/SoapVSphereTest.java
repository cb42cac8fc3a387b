package org.spindle.hyper.vmware.internal.vim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.hyper.vmware.internal.TgtLun;
import org.spindle.hyper.vmware.internal.VSphere;
import org.spindle.hyper.vmware.internal.Vcsim;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;

/**
 * The SOAP client against spindle-vcsim (a real HTTPS endpoint with a pinned certificate) and a real tgt LUN:
 * every call the attach service makes, read back through the same API.
 */
class SoapVSphereTest {
    @TempDir
    static Path dir;
    static Vcsim vcsim;
    static TgtLun lun;

    @BeforeAll
    static void start() throws Exception {
        TgtLun.requireTgt();
        vcsim = Vcsim.start(dir, "iqn.1998-01.com.vmware:soaptest");
        lun = TgtLun.create(dir, 47120, "soap-test", 96L << 20, "vmwsoaptest", "soap-secret-12345");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lun != null) {
            lun.close();
        }
        if (vcsim != null) {
            vcsim.close();
        }
    }

    static VimConnection connect(String fingerprint) {
        return new VimConnection(vcsim.url(), VimTrust.pinned(fingerprint), Vcsim.USER, Vcsim.PASSWORD, Duration.ofSeconds(20));
    }

    static SoapVSphere vsphere() {
        return new SoapVSphere(connect(vcsim.fingerprint()), "DC0", "DC0_C0", Duration.ofSeconds(30));
    }

    @Test
    void refusesAServerWhoseCertificateIsNotThePinnedOne() {
        String other = "00" + vcsim.fingerprint().substring(2);
        try (VimConnection c = connect(other.equals(vcsim.fingerprint()) ? "11" + other.substring(2) : other)) {
            StorageException e = assertThrows(StorageException.class, c::content);
            assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
        }
    }

    @Test
    void refusesAWrongPasswordWithInvalidLogin() {
        try (VimConnection c = new VimConnection(vcsim.url(), VimTrust.pinned(vcsim.fingerprint()), Vcsim.USER,
                Secret.of("not-the-password"), Duration.ofSeconds(10))) {
            VimFault f = assertThrows(VimFault.class, c::content);
            assertEquals("InvalidLogin", f.type());
            assertFalse(f.getMessage().contains("not-the-password"));
        }
    }

    @Test
    void logsInAgainWhenTheServerEndedTheSession() {
        try (VimConnection a = connect(vcsim.fingerprint())) {
            Properties pa = new Properties(a);
            MoRef root = a.content().rootFolder();
            assertEquals("Datacenters", pa.read(root, "name").orElseThrow().text("name"));
            // the session ends on the server while the connection still holds its cookie
            a.call("Logout", a.content().sessionManager());
            assertEquals("Datacenters", pa.read(root, "name").orElseThrow().text("name"));
        }
    }

    @Test
    void closingLogsOutAndAConnectionReusesItsSession() {
        try (VimConnection watcher = connect(vcsim.fingerprint())) {
            Properties pw = new Properties(watcher);
            MoRef sessions = watcher.content().sessionManager();
            int before = pw.read(sessions, "sessionList").flatMap(o -> o.get("sessionList")).map(e -> Xml.children(e).size()).orElse(0);
            VimConnection c = connect(vcsim.fingerprint());
            Properties pc = new Properties(c);
            for (int i = 0; i < 3; i++) {
                pc.read(c.content().rootFolder(), "name");
            }
            int during = pw.read(sessions, "sessionList").flatMap(o -> o.get("sessionList")).map(e -> Xml.children(e).size()).orElse(0);
            assertEquals(before + 1, during, "three calls, one session");
            c.close();
            int after = pw.read(sessions, "sessionList").flatMap(o -> o.get("sessionList")).map(e -> Xml.children(e).size()).orElse(0);
            assertEquals(before, after, "close() logged out");
        }
    }

    @Test
    void readsTheClusterHostsWithTheirSoftwareIscsiAdapters() {
        try (SoapVSphere v = vsphere()) {
            List<VSphere.Host> hosts = v.hosts();
            assertEquals(3, hosts.size());
            assertEquals(3, hosts.stream().map(VSphere.Host::iqn).distinct().count());
            for (VSphere.Host h : hosts) {
                assertEquals("vmhba65", h.iscsiDevice());
                assertTrue(h.iqn().startsWith("iqn.1998-01.com.vmware:soaptest-"), h.iqn());
                assertTrue(h.connected());
            }
        }
    }

    @Test
    void staticTargetRescanVmfsDiskAndRemovalRoundTrip() {
        try (SoapVSphere v = vsphere()) {
            VSphere.Host host = v.hosts().get(0);
            VSphere.StaticTarget target = new VSphere.StaticTarget("127.0.0.1", 3260, lun.iqn);
            v.addStaticTarget(host, target, lun.chap);
            assertEquals(List.of(target), v.staticTargets(host));
            VimFault dup = assertThrows(VimFault.class, () -> v.addStaticTarget(host, target, lun.chap));
            assertEquals("AlreadyExists", dup.type());
            assertFalse(dup.getMessage().contains(lun.chap.secret().reveal()));
            v.rescan(host);
            VSphere.Disk disk = v.disks(host).stream().filter(d -> d.targetIqn().equals(lun.iqn)).findFirst().orElseThrow();
            assertEquals(lun.bytes, disk.bytes());
            assertTrue(disk.canonicalName().matches("naa\\.[0-9a-f]{32}"), disk.canonicalName());

            String name = "spindle-soaptest";
            assertEquals(Optional.empty(), v.datastore(name));
            VSphere.Datastore ds = v.createVmfsDatastore(host, disk, name);
            assertEquals(name, ds.name());
            assertEquals(lun.bytes, ds.capacityBytes());
            assertFalse(ds.vmfsUuid().isEmpty());
            assertEquals(ds, v.datastore(name).orElseThrow());

            VSphere.Vm vm = v.vms().stream().filter(x -> x.hostRef().equals(host.ref())).findFirst().orElseThrow();
            String file = "[" + name + "] spindle-soaptest.vmdk";
            assertFalse(v.fileExists(file));
            VSphere.Slot slot = v.freeSlot(vm);
            v.addDisk(vm, file, 64 * 1024, slot, 500, 1200);
            assertTrue(v.fileExists(file));
            VSphere.VmDisk added = v.disks(vm).stream().filter(d -> d.fileName().equals(file)).findFirst().orElseThrow();
            assertEquals(500, added.iopsLimit());
            assertEquals("custom", added.sharesLevel());
            assertEquals(1200, added.shares());
            assertEquals(slot.controllerKey(), added.controllerKey());
            assertEquals(slot.unitNumber(), added.unitNumber());

            v.changeDisk(vm, added, added.capacityKb(), 750, 0);
            VSphere.VmDisk changed = v.disks(vm).stream().filter(d -> d.fileName().equals(file)).findFirst().orElseThrow();
            assertEquals(750, changed.iopsLimit());
            assertEquals("normal", changed.sharesLevel());

            VimFault busy = assertThrows(VimFault.class, () -> v.removeDatastore(host, ds));
            assertEquals("ResourceInUse", busy.type());
            v.removeDisk(vm, changed);
            assertTrue(v.disks(vm).stream().noneMatch(d -> d.fileName().equals(file)));
            assertTrue(v.fileExists(file), "removing the disk from the VM keeps its file");

            v.unmountVmfs(host, ds.vmfsUuid());
            VSphere.Mount mount = v.datastore(name).orElseThrow().mounts().stream()
                    .filter(m -> m.hostRef().equals(host.ref())).findFirst().orElseThrow();
            assertFalse(mount.mounted());
            v.mountVmfs(host, ds.vmfsUuid());
            v.removeDatastore(host, ds);
            assertEquals(Optional.empty(), v.datastore(name));

            v.removeStaticTarget(host, target);
            assertEquals(List.of(), v.staticTargets(host));
            VimFault gone = assertThrows(VimFault.class, () -> v.removeStaticTarget(host, target));
            assertEquals("NotFound", gone.type());
            v.rescan(host);
            assertTrue(v.disks(host).stream().noneMatch(d -> d.targetIqn().equals(lun.iqn)));
        }
    }

    @Test
    void aMissingClusterIsNotFoundNamingTheField() {
        try (SoapVSphere v = new SoapVSphere(connect(vcsim.fingerprint()), "DC0", "NoSuchCluster", Duration.ofSeconds(5))) {
            StorageException e = assertThrows(StorageException.class, v::hosts);
            assertEquals("cluster", e.field());
        }
    }
}
