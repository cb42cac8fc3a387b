package org.spindle.hyper.kvm.internal;

/**
 * A tiny domain with no disk and no OS ({@code type='qemu'}, TCG, 64 MiB): SeaBIOS idles, which is enough to hot-plug
 * disks. ACPI is on because the i440fx PCI bus only hot-plugs with it.
 */
final class TestVm implements AutoCloseable {
    final String name;

    private TestVm(String name) {
        this.name = name;
    }

    /** Defines the domain; {@code start} also starts it. */
    static TestVm define(String name, boolean start) {
        Cmd.run("virsh", "-c", Peers.URI, "destroy", name);
        Cmd.run("virsh", "-c", Peers.URI, "undefine", name);
        String xml = "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices></domain>";
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("spindle-vm", ".xml");
            java.nio.file.Files.writeString(f, xml);
            Cmd.virsh("define", f.toString());
            java.nio.file.Files.delete(f);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        TestVm vm = new TestVm(name);
        if (start) {
            Cmd.virsh("start", name);
        }
        return vm;
    }

    /** The domain's UUID, as virsh prints it (lower case). */
    String uuid() {
        return Cmd.virsh("domuuid", name).trim();
    }

    String liveXml() {
        return Cmd.virsh("dumpxml", name);
    }

    String configXml() {
        return Cmd.virsh("dumpxml", "--inactive", name);
    }

    @Override
    public void close() {
        Cmd.run("virsh", "-c", Peers.URI, "destroy", name);
        Cmd.run("virsh", "-c", Peers.URI, "undefine", name);
    }
}
