package org.spindle.itest;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.spindle.test.support.Commands;

/**
 * A running no-OS QEMU (TCG) VM the KVM process tests attach volumes to, and what libvirt and the running QEMU say
 * about its disks and Spindle's CHAP secrets for it.
 *
 * @param name its libvirt name
 * @param uuid its libvirt UUID: its id in Spindle ({@code Attachment.vmId}) and part of its secrets' usage
 */
record LibvirtVm(String name, String uuid) {

    /**
     * Defines and starts {@code name}: 64 MiB, ACPI (i440fx hot-plug) and a virtio-scsi controller, so no attach has
     * to add one. An older domain of that name is removed first.
     */
    static LibvirtVm define(String name, Path work) throws IOException {
        remove(name);
        String xml = "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                + "<controller type='scsi' index='0' model='virtio-scsi'/><memballoon model='none'/></devices></domain>";
        Path file = work.resolve("vm.xml");
        Files.writeString(file, xml);
        Peers.virsh("define", file.toString());
        LibvirtVm vm = new LibvirtVm(name, Peers.virsh("domuuid", name).strip());
        Peers.virsh("start", name);
        return vm;
    }

    /** Stops and undefines the domain {@code name}, if there is one. */
    static void remove(String name) {
        Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "destroy", name);
        Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "undefine", name);
    }

    /** The alias Spindle gives the disk of {@code volume}. */
    static String alias(UUID volume) {
        return "ua-spindle-" + volume;
    }

    /** The live XML, validated against libvirt's schema. */
    String liveXml() {
        return validDomain(Peers.virsh("dumpxml", uuid));
    }

    /** The persistent XML, validated against libvirt's schema. */
    String configXml() {
        return validDomain(Peers.virsh("dumpxml", "--inactive", uuid));
    }

    /**
     * {@code xml} when libvirt's own schema takes it as a domain ({@code virt-xml-validate FILE domain}: libvirt-clients
     * with xmllint, installed by scripts/libvirt.sh), a failed assertion otherwise: what {@code virsh define --validate}
     * would refuse fails the test.
     */
    static String validDomain(String xml) {
        try {
            Path f = Files.createTempFile("spindle-domain", ".xml");
            try {
                Files.writeString(f, xml);
                Commands.Result r = Commands.run("virt-xml-validate", f.toString(), "domain");
                assertTrue("libvirt's schema refuses the domain XML: " + r.out().strip() + "\n" + xml, r.exit() == 0);
                return xml;
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The {@code <disk>} element of the volume in the live XML (validated). */
    String liveDisk(UUID volume) {
        String xml = liveXml();
        int at = xml.indexOf("<alias name='" + alias(volume) + "'/>");
        assertTrue("no disk " + alias(volume) + " in the live XML of " + name + ": " + xml, at >= 0);
        int start = xml.lastIndexOf("<disk ", at);
        int end = xml.indexOf("</disk>", at);
        return xml.substring(start, end + "</disk>".length());
    }

    /** The capacity in bytes of disk {@code device}, from {@code virsh domblkinfo} (the running QEMU's view). */
    long capacity(String device) {
        Matcher m = Pattern.compile("(?m)^Capacity:\\s+(\\d+)\\s*$").matcher(Peers.virsh("domblkinfo", name, device));
        assertTrue("no capacity in virsh domblkinfo " + name + " " + device, m.find());
        return Long.parseLong(m.group(1));
    }

    /** {@code virsh blkdeviotune VM DEVICE} (live), name → value. */
    Map<String, Long> blkdeviotune(String device) {
        Map<String, Long> m = new TreeMap<>();
        Matcher r = Pattern.compile("(?m)^(\\w+)\\s*:\\s*(\\d+)\\s*$").matcher(Peers.virsh("blkdeviotune", name, device, "--live"));
        while (r.find()) {
            m.put(r.group(1), Long.parseLong(r.group(2)));
        }
        return m;
    }

    /**
     * UUIDs of the libvirt secrets whose usage is Spindle's for this VM: {@code spindle-<vm uuid>-<volume>}, or
     * {@code spindle/<vm uuid>/<volume>} as builds before the schema fix named them.
     */
    List<String> secrets() {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*([0-9a-f-]{36})\\s+iscsi\\s+spindle[-/]" + Pattern.quote(uuid) + "[-/]\\S+\\s*$")
                .matcher(Peers.virsh("secret-list"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
