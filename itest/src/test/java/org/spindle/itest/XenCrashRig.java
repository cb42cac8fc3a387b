package org.spindle.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;
import org.spindle.xen.simulator.XenSimulator;

/**
 * What {@link XenCrashIT} runs against: the Element simulator serving real tgt LUNs and a XenAPI pool of three hosts
 * (one running VM) in this JVM — both outlive a {@code kill -9} of the runtime, as a SAN and a pool do — and the
 * distribution as a process, its SolidFire driver and its Xen attach service configured by {@code etc/*.cfg}.
 * Reconciliation runs every 5 s and removes orphans at once; the Xen service reads the pool every 2 s (what it reports
 * as left over is then seen within seconds). {@link #violations} is the checker: it reads the SAN,
 * the pool's model and the database (through the shell) and lists every broken invariant.
 */
final class XenCrashRig implements AutoCloseable {
    static final String POOL = "sfxc";
    static final String ZONE = "zxc";
    static final String XEN = "xencrash";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String VM = "xcvm-" + RUN;

    ElementSimulator san;
    XenSimulator xen;
    KarafProcess karaf;

    static XenCrashRig start() throws Exception {
        Peers.requireTgt();
        Peers.requireLibiscsi();
        XenCrashRig rig = new XenCrashRig();
        Path work = Files.createDirectories(Paths.get("target/xen-crash").toAbsolutePath());
        return RigStart.orClose(rig, () -> {
            rig.san = RigStart.san("xc" + RUN);
            rig.xen = XenSimulator.builder().host("xen1", "iqn.2026-12.org.spindle.itest:xc1-" + RUN)
                    .host("xen2", "iqn.2026-12.org.spindle.itest:xc2-" + RUN).host("xen3", "iqn.2026-12.org.spindle.itest:xc3-" + RUN)
                    .vm(VM, "xen2", true).password("xen-" + UUID.randomUUID()).build().start();
            rig.karaf = RigStart.unpack(work.resolve("spindle"));
            // tgt accounts are global to the tgtd: a name of its own, whatever else runs beside
            RigStart.solidFire(rig.karaf, rig.san, POOL, ZONE, "xencrash", "xcrash");
            Files.writeString(rig.karaf.home.resolve("etc/org.spindle.hyper.xen-" + XEN + ".cfg"), "pool.name = " + XEN + "\nxen.url = "
                    + rig.xen.url() + "\nxen.user = root\n.xen.password = " + rig.xen.password() + "\ntls.fingerprint.sha256 = "
                    + rig.xen.certificateSha256() + "\nstorage.zone = " + ZONE + "\nrefresh.seconds = 2\n");
            RigStart.reconcileEvery5s(rig.karaf);
            System.out.printf("xen-crash: bin/start -> pool and Xen pool ready in %.1f s%n", rig.startAndAwait());
        });
    }

    /** bin/start, then waits until the SAN pool is available and the Xen pool bound; returns the seconds it took. */
    double startAndAwait() throws Exception {
        return Kill9.startAndAwait(karaf, POOL, XEN);
    }

    private Map<String, Map<String, Object>> byRef(String cls) {
        return xen.records(cls).stream().collect(Collectors.toMap(r -> (String) r.get("ref"), r -> r));
    }

    private static String label(Map<String, Object> record) {
        String d = String.valueOf(record.get("name_description"));
        return d.startsWith("spindle:") ? d.substring("spindle:".length()) : null;
    }

    /**
     * Every broken invariant, each naming the volume it is about (its id): {@link SanInvariants} (nothing in flight,
     * every SAN volume Spindle made belongs to exactly one live volume which records it, only ATTACHED volumes in an
     * access group, every name in {@code alive} a live volume); every VBD labelled with a Spindle volume is the one plugged disk of a volume ATTACHED to that VM (its
     * uuid the recorded device), in an SR labelled with that volume; every labelled SR, VDI and PBD belongs to an
     * ATTACHED volume, and an ATTACHED volume's SR has a plugged PBD on every host; nothing references an object
     * that is gone.
     */
    List<String> violations(List<String> alive) throws Exception {
        Map<String, JsonNode> rows = SanInvariants.rows(karaf);
        List<String> out = SanInvariants.check(san, rows).violations();
        Set<String> attached = rows.values().stream().filter(r -> "ATTACHED".equals(r.path("state").asText()))
                .map(r -> r.path("id").asText()).collect(Collectors.toSet());
        Map<String, Map<String, Object>> srs = byRef("SR");
        Map<String, Map<String, Object>> vdis = byRef("VDI");
        Map<String, Map<String, Object>> vms = byRef("VM");
        Map<String, Map<String, Object>> hosts = byRef("host");
        Map<String, Integer> vbdsPerVolume = new HashMap<>();
        for (Map<String, Object> b : xen.records("VBD")) {
            String id = ((Map<?, ?>) b.get("other_config")).get("spindle-volume") instanceof String s ? s : null;
            Map<String, Object> vdi = vdis.get((String) b.get("VDI"));
            Map<String, Object> vm = vms.get((String) b.get("VM"));
            if (vdi == null || vm == null) {
                out.add(id + ": VBD " + b.get("uuid") + " references a VDI or VM that is gone");
                continue;
            }
            if (id == null) {
                continue;
            }
            vbdsPerVolume.merge(id, 1, Integer::sum);
            JsonNode row = rows.get(id);
            boolean running = "Running".equals(vm.get("power_state"));
            if (!attached.contains(id)) {
                out.add(id + ": a VBD of it is in VM " + vm.get("name_label") + " but the volume is "
                        + (row == null ? "gone" : row.path("state").asText()));
            } else if (!String.valueOf(vm.get("uuid")).equals(row.path("attachment").path("vmId").asText())
                    || !String.valueOf(b.get("uuid")).equals(row.path("attachment").path("device").asText())) {
                out.add(id + ": its VBD " + b.get("uuid") + " in VM " + vm.get("uuid") + " is not the recorded " + row.path("attachment"));
            } else if (running && !Boolean.TRUE.equals(b.get("currently_attached"))) {
                out.add(id + ": ATTACHED, but its VBD is not plugged in the running VM");
            } else if (!id.equals(label(srs.getOrDefault((String) vdi.get("SR"), Map.of())))) {
                out.add(id + ": its VBD's VDI is not in the volume's SR");
            }
        }
        for (String id : attached) {
            if (vbdsPerVolume.getOrDefault(id, 0) != 1) {
                out.add(id + ": ATTACHED with " + vbdsPerVolume.getOrDefault(id, 0) + " VBDs in the pool");
            }
        }
        Map<String, Integer> srsPerVolume = new HashMap<>();
        for (Map<String, Object> sr : srs.values()) {
            String id = label(sr);
            if (id == null) {
                continue;
            }
            srsPerVolume.merge(id, 1, Integer::sum);
            if (!attached.contains(id)) {
                out.add(id + ": SR " + sr.get("uuid") + " is left in the pool, the volume is "
                        + (rows.containsKey(id) ? rows.get(id).path("state").asText() : "gone"));
                continue;
            }
            Set<Object> plugged = xen.records("PBD").stream().filter(p -> sr.get("ref").equals(p.get("SR"))
                    && Boolean.TRUE.equals(p.get("currently_attached"))).map(p -> p.get("host")).collect(Collectors.toSet());
            if (!plugged.equals(hosts.keySet())) {
                out.add(id + ": its SR is plugged on " + plugged.size() + " of " + hosts.size() + " hosts");
            }
        }
        srsPerVolume.forEach((id, n) -> {
            if (n > 1) {
                out.add(id + " has " + n + " SRs");
            }
        });
        for (Map<String, Object> p : xen.records("PBD")) {
            if (!srs.containsKey((String) p.get("SR")) || !hosts.containsKey((String) p.get("host"))) {
                out.add("null: PBD " + p.get("uuid") + " references an SR or host that is gone");
            }
        }
        for (Map<String, Object> v : vdis.values()) {
            String id = label(v);
            if (!srs.containsKey((String) v.get("SR"))) {
                out.add(id + ": VDI " + v.get("uuid") + " is in an SR that is gone");
            } else if (id != null && !attached.contains(id)) {
                out.add(id + ": VDI " + v.get("uuid") + " is left in the pool");
            }
        }
        out.addAll(SanInvariants.lost(rows, alive));
        return out;
    }

    @Override
    public void close() throws Exception {
        KvmKarafRig.cleanUp(KvmKarafRig.closing(karaf), KvmKarafRig.closing(xen), KvmKarafRig.closing(san));
    }
}
