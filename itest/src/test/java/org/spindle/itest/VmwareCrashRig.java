package org.spindle.itest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.spindle.hyper.vmware.internal.VSphere;
import org.spindle.hyper.vmware.internal.VolumeLayout;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Secret;

/**
 * What {@link VmwareCrashIT} runs against: the Element simulator in this JVM on real tgt LUNs, spindle-vcsim (a
 * cluster of three hosts whose iSCSI adapters log in to those LUNs) with its fault control ({@code -control}: a
 * vSphere call held before it acts or after, released or dropped, its reply lost), and the distribution as a process
 * with its SolidFire driver and its vSphere attach service on them; reconciliation every 5 s, orphans removed at once.
 * Both simulators outlive a {@code kill -9} of the runtime, as a SAN and a vCenter do. {@link #violations} is the
 * checker: it reads the SAN, vCenter (through the SOAP client of {@code hyper.vmware}, as an operator's tool would)
 * and the database (the shell) and lists every broken invariant.
 */
final class VmwareCrashRig implements AutoCloseable {
    static final String POOL = "sfvc";
    static final String ZONE = "zvmc";
    static final String SERVICE = "vmwcrash";
    static final String VM = "DC0_C0_RP0_VM0";
    static final String VM2 = "DC0_C0_RP0_VM1";
    private static final String USER = "administrator@vsphere.local";
    private static final Pattern STARTED = Pattern.compile("spindle-vcsim started url=(\\S+) sha256=(\\S+) .* control=(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Secret password = Secret.of("vc-" + UUID.randomUUID());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ElementSimulator san;
    KarafProcess karaf;
    SoapVSphere vsphere;
    private Process vcsim;
    private URI control;

    static VmwareCrashRig start(String test) throws Exception {
        Peers.requireTgt();
        Peers.requireLibiscsi();
        VmwareCrashRig rig = new VmwareCrashRig();
        Path work = Files.createDirectories(Paths.get("target/" + test).toAbsolutePath());
        return RigStart.orClose(rig, () -> rig.boot(work));
    }

    private void boot(Path work) throws Exception {
        san = RigStart.san("vc" + run);
        URI url = startVcsim(work);
        karaf = RigStart.unpack(work.resolve("spindle"));
        // tgt accounts are global to the tgtd: the SolidFire tests of the other half use the default prefix
        RigStart.solidFire(karaf, san, POOL, ZONE, "vmwc", "vmwc");
        Files.writeString(karaf.home.resolve("etc/org.spindle.hyper.vmware-" + SERVICE + ".cfg"),
                "name = " + SERVICE + "\nvcenter.url = " + url + "\nvcenter.user = " + USER + "\n.vcenter.password = "
                        + password.reveal() + "\ntls.fingerprint.sha256 = " + pin + "\ndatacenter = DC0\ncluster = DC0_C0\n"
                        + "storage.zone = " + ZONE + "\nrefresh.seconds = 5\n");
        RigStart.reconcileEvery5s(karaf);
        vsphere = new SoapVSphere(new VimConnection(url, VimTrust.pinned(pin), USER, password, Duration.ofSeconds(20)),
                "DC0", "DC0_C0", Duration.ofSeconds(30));
        startAndAwait();
    }

    private String pin;

    private URI startVcsim(Path work) throws Exception {
        Path binary = Paths.get(System.getProperty("spindle.vcsim", "../vsphere.simulator/target/spindle-vcsim"));
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-dir", work.resolve("vmfs-" + run).toString(),
                "-initiator-prefix", "iqn.1998-01.com.vmware:crash-" + run, "-user", USER, "-control", "127.0.0.1:0");
        pb.environment().put("SPINDLE_VCSIM_PASSWORD", password.reveal());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("spindle-vcsim.log").toFile()));
        vcsim = pb.start();
        String line = new BufferedReader(new InputStreamReader(vcsim.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = line == null ? null : STARTED.matcher(line);
        if (m == null || !m.matches()) {
            throw new IllegalStateException("spindle-vcsim did not start: " + line);
        }
        pin = m.group(2);
        control = URI.create(m.group(3));
        return URI.create(m.group(1));
    }

    /** bin/start, then waits until the pool is available and the vSphere service bound; returns the seconds it took. */
    double startAndAwait() throws Exception {
        return Kill9.startAndAwait(karaf, POOL, SERVICE);
    }

    // --- the vCenter's faults (vsphere.simulator -control)

    private JsonNode post(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(control.resolve(path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("spindle-vcsim control " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode faults() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(control.resolve("/faults")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * Holds the call of {@code method} that comes after {@code skip} more, before it acts or (phase after) after;
     * the returned condition holds once it is held (one more call of it is held than when armed).
     */
    Callable<Boolean> hold(String method, String phase, int skip) throws Exception {
        long before = held(method);
        post("/faults/hold?method=" + method + "&phase=" + phase + "&skip=" + skip);
        return () -> held(method) > before;
    }

    /** How many calls of {@code method} are held now. */
    private long held(String method) throws Exception {
        long n = 0;
        for (JsonNode h : faults().path("held")) {
            if (h.path("method").asText().equals(method)) {
                n++;
            }
        }
        return n;
    }

    /** The next {@code count} calls of {@code method} act, and their replies are lost. */
    void lose(String method, int count) throws Exception {
        post("/faults/lose?method=" + method + "&count=" + count);
    }

    /**
     * Releases what is held (to go on, or with {@code drop} those held before acting to end without acting),
     * disarms the rest, and waits until every call that arrived has ended: the effects are in before the restart.
     */
    void release(boolean drop) throws Exception {
        post("/faults/release" + (drop ? "?drop=true" : ""));
        post("/faults/clear");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!faults().path("calls").equals(faults().path("done"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("vSphere calls still running after the release: " + faults());
            }
            Thread.sleep(20);
        }
    }

    // --- the checker

    /** The live volumes as the shell lists them, by id. */
    Map<String, JsonNode> rows() throws Exception {
        return SanInvariants.rows(karaf);
    }

    List<String> violations(List<String> alive) throws Exception {
        return violations(rows(), alive);
    }

    private static boolean attachedTo(JsonNode row, VSphere.Vm vm) {
        JsonNode a = row.path("attachment");
        return row != null && "ATTACHED".equals(row.path("state").asText())
                && (vm.instanceUuid().equalsIgnoreCase(a.path("vmId").asText()) || vm.ref().equals(a.path("vmId").asText())
                || vm.name().equals(a.path("vmName").asText()));
    }

    /**
     * Every broken invariant: {@link SanInvariants} (nothing in flight, every SAN volume Spindle made belongs to exactly
     * one live volume which records it, only ATTACHED volumes in an access group, every name in {@code alive} a live
     * volume); every Spindle disk on a VM belongs to a volume ATTACHED to that VM, and every ATTACHED
     * volume has its disk on its VM; every Spindle datastore and every host's static target of a Spindle LUN belongs
     * to an ATTACHED volume, and an ATTACHED volume's datastore is mounted and reachable and its target static on
     * every host. {@code rows}: the live volumes as the shell listed them just before, by id.
     */
    List<String> violations(Map<String, JsonNode> rows, List<String> alive) throws Exception {
        SanInvariants sanSide = SanInvariants.check(san, rows);
        List<String> out = sanSide.violations();
        // vCenter: the VMs' disks
        Map<String, String> diskOnVm = new HashMap<>();
        for (VSphere.Vm vm : vsphere.vms()) {
            for (VSphere.VmDisk d : vsphere.disks(vm)) {
                Optional<UUID> id = spindleVolume(d.fileName());
                if (id.isEmpty()) {
                    continue;
                }
                JsonNode row = rows.get(id.get().toString());
                if (row == null || !attachedTo(row, vm)) {
                    out.add("VM " + vm.name() + " has the disk of " + id.get() + " but the volume is " + SanInvariants.describe(row)
                            + (row == null ? "" : " " + row.path("attachment")));
                }
                if (diskOnVm.put(id.get().toString(), vm.name()) != null) {
                    out.add("the disk of " + id.get() + " is on two VMs");
                }
            }
        }
        // vCenter: the datastores and the hosts' static targets
        List<VSphere.Host> hosts = vsphere.hosts();
        Map<String, VSphere.Datastore> datastores = new HashMap<>();
        for (VSphere.Datastore ds : vsphere.datastores()) {
            Optional<UUID> id = VolumeLayout.volumeOf(ds.name());
            if (id.isPresent()) {
                datastores.put(id.get().toString(), ds);
                JsonNode row = rows.get(id.get().toString());
                if (row == null || !"ATTACHED".equals(row.path("state").asText())) {
                    out.add("datastore " + ds.name() + " is left, its volume is " + SanInvariants.describe(row));
                }
            }
        }
        Map<String, List<String>> targetsOf = new HashMap<>();
        for (VSphere.Host h : hosts) {
            List<String> iqns = vsphere.staticTargets(h).stream().map(VSphere.StaticTarget::iqn).toList();
            targetsOf.put(h.name(), iqns);
            for (String iqn : iqns) {
                String volume = sanSide.volumeOfIqn(iqn);
                JsonNode row = volume == null ? null : rows.get(volume);
                if (row == null || !"ATTACHED".equals(row.path("state").asText())) {
                    out.add("host " + h.name() + " keeps static target " + iqn + ", its volume is " + SanInvariants.describe(row));
                }
            }
        }
        for (JsonNode r : rows.values()) {
            if (!"ATTACHED".equals(r.path("state").asText())) {
                continue;
            }
            String id = r.path("id").asText();
            String name = r.path("name").asText();
            if (!diskOnVm.containsKey(id)) {
                out.add(name + " is ATTACHED but no VM has its disk");
            }
            VSphere.Datastore ds = datastores.get(id);
            for (VSphere.Host h : hosts) {
                if (ds == null || ds.mounts().stream().noneMatch(m -> m.hostRef().equals(h.ref()) && m.mounted() && m.accessible())) {
                    out.add(name + " is ATTACHED but host " + h.name() + " does not reach its datastore");
                }
                if (!targetsOf.get(h.name()).contains(sanSide.iqnOf(id))) {
                    out.add(name + " is ATTACHED but host " + h.name() + " has not its static target");
                }
            }
        }
        out.addAll(SanInvariants.lost(rows, alive));
        return out;
    }

    private static final Pattern SPINDLE_DISK =
            Pattern.compile("\\[spindle-[0-9a-f]{32}\\] spindle-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.vmdk");

    private static Optional<UUID> spindleVolume(String fileName) {
        Matcher m = SPINDLE_DISK.matcher(fileName);
        return m.matches() ? Optional.of(UUID.fromString(m.group(1))) : Optional.empty();
    }

    @Override
    public void close() throws Exception {
        KvmKarafRig.cleanUp(KvmKarafRig.closing(vsphere), KvmKarafRig.closing(karaf), this::stopVcsim, KvmKarafRig.closing(san));
    }

    private void stopVcsim() throws InterruptedException {
        if (vcsim != null) {
            vcsim.destroy();
            if (!vcsim.waitFor(10, TimeUnit.SECONDS)) {
                vcsim.destroyForcibly();
            }
        }
    }
}
