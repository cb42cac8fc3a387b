package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.ServiceStatus;

class RuntimeCommandsTest {
    private static final String REASON = "mvip: must be host:port (was 'x')";
    private final FakeStorageRuntime runtime = new FakeStorageRuntime();
    private final ObjectMapper mapper = new ObjectMapper();

    private static List<String> header(String out) {
        return List.of(out.lines().findFirst().orElseThrow().strip().split(" *[│|] *"));
    }

    private static List<String> cells(String row) {
        return List.of(row.strip().split(" *[│|] *"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static String row(String out, String contains) {
        return out.lines().filter(l -> l.contains(contains)).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void driverListShowsRejectedOnesWithTheReason() throws Exception {
        runtime.drivers.add(Samples.driver("17", ServiceStatus.BOUND, null));
        runtime.drivers.add(Samples.driver("org.spindle.solidfire~b", ServiceStatus.REJECTED, REASON));
        DriverList list = new DriverList();
        list.runtime = runtime;

        String out = Console.run(list);

        assertEquals(List.of("SOURCE", "TYPE", "POOL", "ZONE", "TAGS", "PROTOCOLS", "QOS", "MANAGED", "BUNDLE",
                "STATUS", "REASON"), header(out));
        assertTrue(row(out, "~b").contains("REJECTED"), out);
        assertTrue(row(out, "~b").endsWith(REASON), out);
        assertTrue(row(out, "17 ").contains("BOUND"), out);

        list.json = true;
        JsonNode array = mapper.readTree(Console.run(list));
        assertEquals(List.of("source", "bundle", "type", "pool", "zone", "tags", "protocols", "qos", "managed",
                "status", "reason"), VolumeCommandsTest.names(array.get(0)));
        assertEquals("REJECTED", array.get(1).get("status").asText());
        assertEquals(REASON, array.get(1).get("reason").asText());
        assertTrue(array.get(0).get("reason").isNull());
    }

    @Test
    void hypervisorListShowsRejectedOnesWithTheReason() throws Exception {
        runtime.attachServices.add(Samples.attachService("kvm-3", ServiceStatus.BOUND, null));
        runtime.attachServices.add(Samples.attachService("kvm-4", ServiceStatus.REJECTED, "no hypervisor.hosts"));
        HypervisorList list = new HypervisorList();
        list.runtime = runtime;

        String out = Console.run(list);

        assertEquals(List.of("SOURCE", "SERVICE", "TYPE", "HOSTS", "CLUSTER", "ZONE", "PROTOCOLS", "INITIATORS",
                "LIMITS", "STRUCTURES", "BUNDLE", "DRIFT", "STATUS", "REASON"), header(out));
        assertTrue(row(out, "kvm-4").contains("REJECTED") && row(out, "kvm-4").endsWith("no hypervisor.hosts"), out);

        list.json = true;
        JsonNode array = mapper.readTree(Console.run(list));
        assertEquals(List.of("source", "bundle", "service", "type", "hosts", "cluster", "zone", "protocols",
                "initiators", "limits", "structures", "status", "reason", "drift"), VolumeCommandsTest.names(array.get(0)));
    }

    @Test
    void hypervisorListShowsAClusterServiceWithItsHostsAndInitiators() throws Exception {
        runtime.attachServices.add(Samples.attachService("kvm-3", ServiceStatus.BOUND, null));
        runtime.attachServices.add(Samples.clusterService());
        HypervisorList list = new HypervisorList();
        list.runtime = runtime;

        String out = Console.run(list);

        List<String> single = cells(row(out, "kvm-3"));
        assertEquals(List.of("42", "kvm-3", "kvm", "kvm-3", "-", "zone-1", "iscsi", Samples.IQN_KVM_3,
                "iops,read-write", "libvirt-pool", "org.spindle.storage.hyper.kvm", "-", "BOUND", "-"), single, out);
        List<String> cluster = cells(row(out, "pool-a"));
        assertEquals(List.of("43", "pool-a", "xen", "xen-1,xen-2", "pool-a", "zone-1", "iscsi",
                Samples.IQN_XEN_1 + "," + Samples.IQN_XEN_2, "iops,total,weight", "-", "org.spindle.hyper.xen", "-",
                "BOUND", "-"), cluster, out);

        list.json = true;
        JsonNode c = mapper.readTree(Console.run(list)).get(1);
        assertEquals("pool-a", c.get("service").asText());
        assertEquals("pool-a", c.get("cluster").asText());
        assertEquals(List.of("xen-1", "xen-2"), texts(c.get("hosts")));
        assertEquals(List.of(Samples.IQN_XEN_1, Samples.IQN_XEN_2), texts(c.get("initiators")));
        assertEquals(List.of("iops", "total", "weight"), texts(c.get("limits")));
        assertTrue(mapper.readTree(Console.run(list)).get(0).get("cluster").isNull());
    }

    @Test
    void unavailableServicesAreListedWithTheReason() throws Exception {
        String since = "unavailable since 2026-12-01T10:02:11Z: KVM host kvm-4 (qemu+tls://10.0.0.4/system): connection refused";
        runtime.attachServices.add(Samples.attachService("kvm-3", ServiceStatus.BOUND, null));
        runtime.attachServices.add(Samples.attachService("kvm-4", ServiceStatus.UNAVAILABLE, since));
        runtime.drivers.add(Samples.driver("18", ServiceStatus.UNAVAILABLE, "SAN 10.0.0.9:443 not answering since 10:01"));
        HypervisorList hypervisors = new HypervisorList();
        hypervisors.runtime = runtime;
        DriverList drivers = new DriverList();
        drivers.runtime = runtime;

        String out = Console.run(hypervisors);
        List<String> cells = cells(row(out, "kvm-4"));
        assertEquals("UNAVAILABLE", cells.get(12), out);
        assertEquals(since, cells.get(13), out);
        assertEquals("BOUND", cells(row(out, "kvm-3")).get(12), out);
        List<String> driver = cells(row(Console.run(drivers), "18 "));
        assertEquals(List.of("UNAVAILABLE", "SAN 10.0.0.9:443 not answering since 10:01"), driver.subList(9, 11));

        hypervisors.json = true;
        JsonNode s = mapper.readTree(Console.run(hypervisors)).get(1);
        assertEquals("UNAVAILABLE", s.get("status").asText());
        assertEquals(since, s.get("reason").asText());
    }

    @Test
    void hypervisorListCountsAndListsWhatAServiceFoundChangedOutsideSpindle() throws Exception {
        AttachServiceInfo s = Samples.attachService("kvm-3", ServiceStatus.BOUND, null);
        List<String> drift = List.of("6f1c… secret spindle-vm-1-6f1c without its disk", "VM vm-7 undefined: 2 Spindle disks gone");
        runtime.attachServices.add(new AttachServiceInfo(s.source(), s.bundle(), s.service(), s.type(), s.hosts(), s.cluster(),
                s.zone(), s.protocols(), s.initiators(), s.limits(), s.structures(), s.status(), s.reason(), drift));
        runtime.attachServices.add(Samples.clusterService());
        HypervisorList list = new HypervisorList();
        list.runtime = runtime;

        String out = Console.run(list);

        assertEquals("2", cells(row(out, "kvm-3 ")).get(11), out);
        assertEquals("-", cells(row(out, "pool-a")).get(11), out);
        assertEquals(List.of("Drift at kvm-3: " + drift.get(0), "Drift at kvm-3: " + drift.get(1)),
                out.lines().filter(l -> l.startsWith("Drift at")).toList());
        list.json = true;
        assertEquals(drift, texts(mapper.readTree(Console.run(list)).get(0).get("drift")));
    }

    @Test
    void poolListShowsCapacity() throws Exception {
        runtime.pools.add(Samples.pool("sf-1"));
        runtime.pools.add(new PoolInfo("nfs-1", "zone-2", List.of(), "nfs", false, "static", false,
                PoolCapacity.UNKNOWN, 0));
        PoolList list = new PoolList();
        list.runtime = runtime;

        String out = Console.run(list);

        assertEquals(List.of("NAME", "ZONE", "PROTOCOL", "TAGS", "MANAGED", "DRIVER", "AVAILABLE", "CAPACITY", "IOPS",
                "VOLUMES"), header(out));
        assertTrue(row(out, "sf-1").matches(
                "sf-1 +\\| zone-1 \\| iscsi +\\| ssd,gold \\| yes +\\| solidfire \\| yes +\\| 1 TiB / 10 TiB \\| 12000 / 100000 \\| 3\\s*"),
                out);
        assertTrue(row(out, "nfs-1").matches(
                "nfs-1 \\| zone-2 \\| nfs +\\| - +\\| no +\\| static +\\| no +\\| - +\\| - +\\| 0\\s*"), out);

        list.json = true;
        JsonNode array = mapper.readTree(Console.run(list));
        assertEquals(List.of("name", "zone", "tags", "protocol", "managed", "driverType", "available", "capacity",
                "volumes"), VolumeCommandsTest.names(array.get(0)));
        assertEquals(List.of("totalBytes", "provisionedBytes", "totalIops", "provisionedIops"),
                VolumeCommandsTest.names(array.get(0).get("capacity")));
        assertEquals(10L << 40, array.get(0).get("capacity").get("totalBytes").asLong());
    }

    @Test
    void poolShow() throws Exception {
        runtime.pools.add(Samples.pool("sf-1"));
        PoolShow show = new PoolShow();
        show.runtime = runtime;
        show.pool = "sf-1";

        String out = Console.run(show);
        VolumeCommandsTest.assertLine(out, "Capacity", "10 TiB (10995116277760 bytes)");
        VolumeCommandsTest.assertLine(out, "Provisioned IOPS", "12000");

        show.json = true;
        assertTrue(mapper.readTree(Console.run(show)).isObject());

        show.pool = "nope";
        StorageException e = assertThrows(StorageException.class, () -> Console.run(show));
        assertEquals(StorageException.Reason.NOT_FOUND, e.reason());
        assertEquals("pool: no pool named 'nope'", e.getMessage());
    }

    @Test
    void emptyListsSaySo() throws Exception {
        DriverList drivers = new DriverList();
        drivers.runtime = runtime;
        assertTrue(Console.run(drivers).contains("No storage drivers"));
        drivers.json = true;
        assertEquals("[ ]", Console.run(drivers).strip());
    }
}
