package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.hyper.vmware.internal.VSphere;
import org.spindle.hyper.vmware.internal.VolumeLayout;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;
import org.spindle.storage.api.Secret;

/**
 * Issue 11 through Karaf: the distribution as a process with its SolidFire driver on an Element simulator serving
 * real tgt LUNs, and its vSphere attach service on spindle-vcsim (vsphere.simulator: a cluster of three hosts whose
 * software iSCSI adapters log in to the LUNs with libiscsi as each host's initiator, so the SAN's access group must
 * hold all three). The seed flow through the shell, with vCenter's objects read back after each step through the
 * SOAP API: every host's static targets and mounts, the datastore, the VM's disk and its IOPS limit.
 */
public class VmwareFlowIT {
    private static final String POOL = "sfw";
    private static final String ZONE = "zvmw";
    private static final String SERVICE = "vmwcluster";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VM = "DC0_C0_RP0_VM0";
    private static final String USER = "administrator@vsphere.local";
    private static final Secret PASSWORD = Secret.of("vc-" + UUID.randomUUID());
    private static final Pattern STARTED = Pattern.compile("spindle-vcsim started url=(\\S+) sha256=(\\S+) .*");

    private static ElementSimulator san;
    private static Process vcsim;
    private static URI vcsimUrl;
    private static String vcsimPin;
    private static KarafProcess karaf;
    private static SoapVSphere vsphere;

    @BeforeClass
    public static void start() throws Exception {
        Peers.requireTgt();
        Peers.requireLibiscsi();
        Path work = Files.createDirectories(Paths.get("target/vmware-flow").toAbsolutePath());
        san = ElementSimulator.builder().uniqueId("vmw" + RUN).tgt(ElementSimulator.TgtMode.ON)
                .credentials("admin", "pw-" + UUID.randomUUID()).start();
        startVcsim(work);
        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar")), work.resolve("spindle"));
        Files.writeString(karaf.home.resolve("etc/org.spindle.driver.solidfire-" + POOL + ".cfg"),
                "mvip = " + san.url().replaceFirst("^https://", "") + "\nusername = " + san.adminUser() + "\n.password = "
                        + san.adminPassword() + "\ntls.fingerprint.sha256 = " + san.certificateSha256() + "\nstorage.pool = "
                        + POOL + "\nstorage.zone = " + ZONE + "\nstorage.tags = vmw\ntarget.lun = " + san.lun() + "\n");
        Files.writeString(karaf.home.resolve("etc/org.spindle.hyper.vmware-" + SERVICE + ".cfg"),
                "name = " + SERVICE + "\nvcenter.url = " + vcsimUrl + "\nvcenter.user = " + USER + "\n.vcenter.password = "
                        + PASSWORD.reveal() + "\ntls.fingerprint.sha256 = " + vcsimPin + "\ndatacenter = DC0\ncluster = DC0_C0\n"
                        + "storage.zone = " + ZONE + "\nrefresh.seconds = 5\n");
        karaf.start();
        karaf.awaitClient(Duration.ofSeconds(120), r -> r.exit() == 0 && r.output().contains("\"" + POOL + "\"")
                        && r.output().contains("\"available\" : true") && r.output().contains("\"" + SERVICE + "\"")
                        && r.output().contains("BOUND"),
                "storage:pool-list --json", "storage:hypervisor-list --json");
        vsphere = new SoapVSphere(new VimConnection(vcsimUrl, VimTrust.pinned(vcsimPin), USER, PASSWORD, Duration.ofSeconds(20)),
                "DC0", "DC0_C0", Duration.ofSeconds(30));
    }

    private static void startVcsim(Path work) throws Exception {
        Path binary = Paths.get(System.getProperty("spindle.vcsim", "../vsphere.simulator/target/spindle-vcsim"));
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-dir", work.resolve("vmfs-" + RUN).toString(),
                "-initiator-prefix", "iqn.1998-01.com.vmware:itest-" + RUN, "-user", USER);
        pb.environment().put("SPINDLE_VCSIM_PASSWORD", PASSWORD.reveal());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("spindle-vcsim.log").toFile()));
        vcsim = pb.start();
        String line = new BufferedReader(new InputStreamReader(vcsim.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = line == null ? null : STARTED.matcher(line);
        if (m == null || !m.matches()) {
            throw new IllegalStateException("spindle-vcsim did not start: " + line);
        }
        vcsimUrl = URI.create(m.group(1));
        vcsimPin = m.group(2);
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (vsphere != null) {
                vsphere.close();
            }
            if (karaf != null) {
                karaf.close();
            }
        } finally {
            if (vcsim != null) {
                vcsim.destroy();
                if (!vcsim.waitFor(10, TimeUnit.SECONDS)) {
                    vcsim.destroyForcibly();
                }
            }
            if (san != null) {
                san.close();
            }
        }
    }

    private static Optional<VSphere.VmDisk> disk(UUID volume) {
        VSphere.Vm vm = vsphere.vms().stream().filter(v -> v.name().equals(VM)).findFirst().orElseThrow();
        return vsphere.disks(vm).stream().filter(d -> d.fileName().equals(VolumeLayout.vmdkPath(volume))).findFirst();
    }

    /** After attach: every host has the static target and mounts the datastore; the VM has the disk with the limit. */
    private static void assertAttached(UUID volume, String iqn, long iopsLimit) {
        VSphere.Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        for (VSphere.Host h : vsphere.hosts()) {
            assertTrue(h.name() + " has the static target", vsphere.staticTargets(h).stream().anyMatch(t -> t.iqn().equals(iqn)));
            assertTrue(h.name() + " mounts " + ds.name(), ds.mounts().stream()
                    .anyMatch(m -> m.hostRef().equals(h.ref()) && m.mounted() && m.accessible()));
        }
        assertEquals(iopsLimit, disk(volume).orElseThrow().iopsLimit());
    }

    /** After detach: no static target, no LUN, no datastore on any host, no disk in the VM. */
    private static void assertNothingInVsphere(UUID volume, String iqn) {
        assertFalse("no datastore", vsphere.datastore(VolumeLayout.datastoreName(volume)).isPresent());
        for (VSphere.Host h : vsphere.hosts()) {
            assertTrue(h.name() + " keeps no static target", vsphere.staticTargets(h).stream().noneMatch(t -> t.iqn().equals(iqn)));
            assertTrue(h.name() + " sees no LUN of " + iqn, vsphere.disks(h).stream().noneMatch(d -> d.targetIqn().equals(iqn)));
        }
        assertFalse("no disk in the VM", disk(volume).isPresent());
    }

    @Test
    public void seedFlowOnAClusterOfThreeHosts() throws Exception {
        String hv = karaf.ok("storage:hypervisor-list").output();
        assertTrue(hv, hv.contains("DC0_C0_H0") && hv.contains("DC0_C0_H1") && hv.contains("DC0_C0_H2") && hv.contains("total"));

        // read + write IOPS: the planner folds them into the one total a vSphere disk has
        karaf.ok("storage:offering-create --tags vmw --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 "
                + "--write-iops 200 vmwgold", "storage:volume-create --offering vmwgold --size 1G vv1");
        String attached = karaf.ok("storage:volume-attach vv1 " + VM).output();
        assertTrue(attached, attached.contains("attached"));
        JsonNode shown = karaf.json("storage:volume-show --json vv1");
        assertEquals("ATTACHED", shown.path("state").asText());
        UUID id = UUID.fromString(shown.path("id").asText());
        Views.Volume onSan = san.volumes().get(0);
        assertAttached(id, onSan.iqn(), 600);
        assertEquals(1L << 30, vsphere.datastore(VolumeLayout.datastoreName(id)).orElseThrow().capacityBytes());
        // the SAN's access group holds the three hosts' initiators, as vCenter names them
        JsonNode groups = san.invoke("ListVolumeAccessGroups", JsonNodeFactory.instance.objectNode(), "12.3");
        Set<String> initiators = new TreeSet<>();
        groups.path("volumeAccessGroups").forEach(g -> g.path("initiators").forEach(i -> initiators.add(i.asText())));
        Set<String> hostIqns = new TreeSet<>();
        vsphere.hosts().forEach(h -> hostIqns.add(h.iqn()));
        assertEquals(hostIqns, initiators);

        // live QoS change, read back from the VM's disk
        karaf.ok("storage:volume-qos --read-iops 700 --write-iops 300 vv1");
        assertEquals(1000, disk(id).orElseThrow().iopsLimit());

        // grow while attached: the datastore follows the LUN, the VMDK the datastore
        karaf.ok("storage:volume-resize vv1 2G");
        assertEquals(2L << 30, vsphere.datastore(VolumeLayout.datastoreName(id)).orElseThrow().capacityBytes());
        assertEquals(VolumeLayout.vmdkKb(2L << 30), disk(id).orElseThrow().capacityKb());

        karaf.ok("storage:volume-detach vv1");
        assertNothingInVsphere(id, onSan.iqn());

        // apache/cloudstack#7148: a detach that died half-way (disk off the VM, the VMFS unmounted on one host) must
        // neither stop the next detach nor the next attach
        karaf.ok("storage:volume-attach vv1 " + VM);
        assertAttached(id, onSan.iqn(), 1000);
        VSphere.Vm vm = vsphere.vms().stream().filter(v -> v.name().equals(VM)).findFirst().orElseThrow();
        vsphere.removeDisk(vm, disk(id).orElseThrow());
        VSphere.Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(id)).orElseThrow();
        vsphere.unmountVmfs(vsphere.hosts().get(0), ds.vmfsUuid());
        karaf.ok("storage:volume-detach vv1");
        assertNothingInVsphere(id, onSan.iqn());
        karaf.ok("storage:volume-attach vv1 " + VM);
        assertAttached(id, onSan.iqn(), 1000);

        karaf.ok("storage:volume-detach vv1", "storage:volume-delete vv1");
        assertNothingInVsphere(id, onSan.iqn());
        assertEquals(List.<Views.Volume>of(), san.volumes());
    }

    @Test
    public void aBandwidthCapIsRefusedOnVmwareSayingWhy() throws Exception {
        karaf.ok("storage:offering-create --tags vmw --min-iops 100 --max-iops 200 --burst-iops 300 --total-bps 10M vmwbps",
                "storage:volume-create --offering vmwbps --size 1G vv2");
        String refused = karaf.fails("storage:volume-attach vv2 " + VM);
        assertTrue(refused, refused.contains("does not limit bytes per second"));
        assertEquals("nothing on the SAN", List.<Views.Volume>of(), san.volumes());
        karaf.ok("storage:volume-delete vv2");
    }
}
