package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.spindle.test.support.Commands;

/**
 * Holds XML that libvirt printed against libvirt's own RELAX NG schema ({@code virt-xml-validate FILE KIND}, from
 * libvirt-clients, with the schema files of the installed libvirt). Every test that reads a domain's XML goes through
 * here, so XML that {@code virsh define --validate} would refuse fails the test.
 */
final class LibvirtSchema {
    private LibvirtSchema() {
    }

    /** {@code xml} when it validates as {@code kind} ({@code domain}, {@code secret}, …); a failed assertion otherwise. */
    static String valid(String xml, String kind) {
        Path f = null;
        try {
            f = Files.createTempFile("spindle-" + kind, ".xml");
            Files.writeString(f, xml);
            Commands.Result r = Commands.run("virt-xml-validate", f.toString(), kind);
            assertEquals(0, r.exit(), () -> "libvirt's schema refuses this " + kind + " XML: " + r.out().trim() + "\n" + xml);
            return xml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a temporary file
                }
            }
        }
    }

    /** {@code virsh dumpxml ARGS…}, validated as a domain. */
    static String domain(String... dumpxmlArgs) {
        String[] args = new String[dumpxmlArgs.length + 1];
        args[0] = "dumpxml";
        System.arraycopy(dumpxmlArgs, 0, args, 1, dumpxmlArgs.length);
        return valid(Cmd.virsh(args), "domain");
    }
}
