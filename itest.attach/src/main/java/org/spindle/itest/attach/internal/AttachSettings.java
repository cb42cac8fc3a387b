package org.spindle.itest.attach.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.volume.Names;

/**
 * One test hypervisor's configuration, validated: every refusal names its configuration key.
 *
 * @param pid        the factory configuration's PID; VM ids are derived from it and the VM's name, so a VM keeps
 *                   its id across configuration updates (a migration changes only its host)
 * @param type       {@code hypervisor.type}
 * @param service    {@code hypervisor.service}, defaulted to the cluster, else the first host
 * @param hosts      {@code hypervisor.hosts} (or the older single {@code hypervisor.host})
 * @param cluster    {@code hypervisor.cluster}, or {@code null}
 * @param zone       {@code storage.zone}
 * @param protocols  {@code storage.protocols}
 * @param limits     {@code hypervisor.limits} as configured (advertised as they are, unknown tokens included)
 * @param enforced   the limits it enforces: the known ones among {@code limits}
 * @param initiators {@code hypervisor.initiators}, defaulted to one IQN per host
 * @param vms        the VMs it runs, from {@code vms}
 * @param structures {@code structures}
 */
record AttachSettings(String pid, String type, String service, List<String> hosts, String cluster, String zone,
                      List<String> protocols, List<String> limits, Set<HypervisorLimit> enforced,
                      List<String> initiators, List<VmInfo> vms, List<String> structures) {
    static final String INITIATOR_PREFIX = "iqn.2026-11.org.spindle.test:host.";
    static final String VMS = "vms";
    static final String STRUCTURES = "structures";

    AttachSettings {
        hosts = List.copyOf(hosts);
        protocols = List.copyOf(protocols);
        limits = List.copyOf(limits);
        enforced = Set.copyOf(enforced);
        initiators = List.copyOf(initiators);
        vms = List.copyOf(vms);
        structures = List.copyOf(structures);
    }

    static AttachSettings of(String pid, TestAttachConfig c) {
        if (c.call_latency_ms() < 0) {
            throw StorageException.invalid("call.latency.ms", "must be 0 or more milliseconds (was " + c.call_latency_ms() + ")");
        }
        List<String> hosts = hosts(c);
        String cluster = c.hypervisor_cluster().isBlank() ? null : Names.check(AttachProperties.CLUSTER, c.hypervisor_cluster());
        String service = !c.hypervisor_service().isBlank() ? c.hypervisor_service() : cluster != null ? cluster : hosts.get(0);
        Names.check(AttachProperties.SERVICE, service);
        Names.check(AttachProperties.ZONE, c.storage_zone());
        Names.check(AttachProperties.HYPERVISOR_TYPE, c.hypervisor_type());
        if (c.storage_protocols().length == 0) {
            throw StorageException.invalid(AttachProperties.PROTOCOLS, "must name at least one protocol, e.g. iscsi");
        }
        for (String p : c.storage_protocols()) {
            Protocols.check(AttachProperties.PROTOCOLS, p);
        }
        Set<HypervisorLimit> enforced = EnumSet.noneOf(HypervisorLimit.class);
        for (String l : c.hypervisor_limits()) {
            HypervisorLimit.fromToken(l).ifPresent(enforced::add);
        }
        for (String s : c.structures()) {
            Names.check(STRUCTURES, s);
        }
        return new AttachSettings(pid, c.hypervisor_type(), service, hosts, cluster, c.storage_zone(),
                List.of(c.storage_protocols()), List.of(c.hypervisor_limits()), enforced, initiators(c, hosts),
                vms(pid, c.vms(), hosts), List.of(c.structures()));
    }

    /** The service properties it registers with. */
    Dictionary<String, Object> properties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.pid", pid);
        props.put(AttachProperties.HYPERVISOR_TYPE, type);
        props.put(AttachProperties.SERVICE, service);
        props.put(AttachProperties.HOSTS, hosts.toArray(String[]::new));
        if (cluster != null) {
            props.put(AttachProperties.CLUSTER, cluster);
        }
        props.put(AttachProperties.ZONE, zone);
        props.put(AttachProperties.PROTOCOLS, protocols.toArray(String[]::new));
        props.put(AttachProperties.LIMITS, limits.toArray(String[]::new));
        props.put(AttachProperties.INITIATORS, initiators.toArray(String[]::new));
        if (!structures.isEmpty()) {
            props.put(AttachProperties.STRUCTURES, structures.toArray(String[]::new));
        }
        props.put(VMS, vms.stream().map(vm -> vm.name() + "@" + vm.host()).toArray(String[]::new));
        return props;
    }

    /** The VM whose id or name is {@code vm}. */
    Optional<VmInfo> vm(String vm) {
        return vms.stream().filter(v -> v.id().equals(vm) || v.name().equals(vm)).findFirst();
    }

    /** The stable id of the VM {@code name} of the configuration {@code pid}: a name-based UUID. */
    static String vmId(String pid, String name) {
        return UUID.nameUUIDFromBytes(("spindle-test-vm:" + pid + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<String> hosts(TestAttachConfig c) {
        String[] hosts = c.hypervisor_hosts().length > 0 ? c.hypervisor_hosts()
                : c.hypervisor_host().isBlank() ? new String[0] : new String[] {c.hypervisor_host()};
        if (hosts.length == 0) {
            throw StorageException.invalid(AttachProperties.HOSTS, "must name at least one host (or set the older hypervisor.host)");
        }
        Set<String> seen = new HashSet<>();
        for (String h : hosts) {
            Names.check(AttachProperties.HOSTS, h);
            if (!seen.add(h)) {
                throw StorageException.invalid(AttachProperties.HOSTS, "names host " + h + " twice");
            }
        }
        return List.of(hosts);
    }

    private static List<String> initiators(TestAttachConfig c, List<String> hosts) {
        if (c.hypervisor_initiators().length == 0) {
            return hosts.stream().map(h -> INITIATOR_PREFIX + h).toList();
        }
        for (String i : c.hypervisor_initiators()) {
            if (i == null || i.isBlank() || i.chars().anyMatch(Character::isWhitespace)) {
                throw StorageException.invalid(AttachProperties.INITIATORS, "must be initiator addresses without spaces (was '" + i + "')");
            }
        }
        return List.of(c.hypervisor_initiators());
    }

    /** {@code name} runs on the first host, {@code name@host} on that host, which must be one of {@code hosts}. */
    private static List<VmInfo> vms(String pid, String[] entries, List<String> hosts) {
        List<VmInfo> vms = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            int at = entry.lastIndexOf('@');
            String name = at < 0 ? entry : entry.substring(0, at);
            String host = at < 0 ? hosts.get(0) : entry.substring(at + 1);
            if (name.isBlank()) {
                throw StorageException.invalid(VMS, "'" + entry + "' has no VM name (name or name@host)");
            }
            if (!hosts.contains(host)) {
                throw StorageException.invalid(VMS, "'" + entry + "': " + host + " is not one of hypervisor.hosts " + hosts);
            }
            if (!names.add(name)) {
                throw StorageException.invalid(VMS, "names VM " + name + " twice");
            }
            vms.add(new VmInfo(vmId(pid, name), name, host, true));
        }
        return vms;
    }
}
