package org.spindle.hyper.kvm.internal;

import org.spindle.test.support.Commands;

/**
 * A tiny domain with no disk and no OS ({@code type='qemu'}, TCG, 64 MiB): SeaBIOS idles, which is enough to hot-plug
 * disks. ACPI is on because the i440fx PCI bus only hot-plugs with it. It is removed by its UUID, which a rename keeps.
 */
final class TestVm implements AutoCloseable {
    final String name;
    private final String uuid;
    private final String uri;

    private TestVm(String uri, String name, String uuid) {
        this.uri = uri;
        this.name = name;
        this.uuid = uuid;
    }

    /** Defines the domain, after removing a leftover of the same name; {@code start} also starts it. */
    static TestVm define(String name, boolean start) {
        return define(Peers.URI, name, start);
    }

    /** {@link #define(String, boolean)} on the libvirtd at {@code uri}. */
    static TestVm define(String uri, String name, boolean start) {
        Commands.run("virsh", "-c", uri, "destroy", name);
        Commands.run("virsh", "-c", uri, "undefine", name);
        return create(uri, name, start);
    }

    /**
     * Defines the domain without looking for a leftover first (virsh resolves a UUID-shaped name as a UUID first,
     * so a clean-up by such a name could remove another domain).
     */
    static TestVm create(String name, boolean start) {
        return create(Peers.URI, name, start);
    }

    static TestVm create(String uri, String name, boolean start) {
        String xml = "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices></domain>";
        String out;
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("spindle-vm", ".xml");
            java.nio.file.Files.writeString(f, xml);
            out = Cmd.virshAt(uri, "define", f.toString());
            java.nio.file.Files.delete(f);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        // the one just defined, whatever other domain the name might also designate
        String uuid = Cmd.virshAt(uri, "list", "--all", "--uuid", "--name").lines()
                .map(String::trim).filter(l -> l.endsWith(" " + name)).map(l -> l.substring(0, 36))
                .findFirst().orElseThrow(() -> new IllegalStateException("no domain " + name + " after: " + out));
        TestVm vm = new TestVm(uri, name, uuid);
        if (start) {
            Cmd.virshAt(uri, "start", uuid);
        }
        return vm;
    }

    /** The domain's UUID, as virsh prints it (lower case). */
    String uuid() {
        return uuid;
    }

    /** Renames the (stopped) domain: {@code virsh domrename}; the UUID stays. */
    TestVm rename(String newName) {
        Cmd.virshAt(uri, "domrename", uuid, newName);
        return new TestVm(uri, newName, uuid);
    }

    /** The live XML, validated against libvirt's schema. */
    String liveXml() {
        return LibvirtSchema.valid(Cmd.virshAt(uri, "dumpxml", uuid), "domain");
    }

    /** The persistent XML, validated against libvirt's schema. */
    String configXml() {
        return LibvirtSchema.valid(Cmd.virshAt(uri, "dumpxml", "--inactive", uuid), "domain");
    }

    @Override
    public void close() {
        Commands.run("virsh", "-c", uri, "destroy", uuid);
        Commands.run("virsh", "-c", uri, "undefine", uuid);
    }
}
