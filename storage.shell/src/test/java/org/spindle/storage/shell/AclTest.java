package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;

/**
 * The distribution's storage command ACL against these commands, read the way Karaf reads it (a key
 * {@code command[/regex/]} applies when the arguments, written {@code [arg1, arg2]}, match the regex, and is checked
 * before the plain {@code command} key). SecurityIT checks the same through real logins; this fails at build time.
 */
class AclTest {
    private static final Path ACL = Path.of("../distribution/src/main/resources/etc/org.apache.karaf.command.acl.storage.cfg");

    private static Properties acl() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(ACL)));
        return p;
    }

    /** The roles Karaf gives a call of {@code command} with {@code args}. */
    private static List<String> roles(Properties acl, String command, List<String> args) {
        String written = args.toString();
        for (String key : acl.stringPropertyNames()) {
            if (key.startsWith(command + "[/") && key.endsWith("/]")
                    && written.matches(key.substring(command.length() + 2, key.length() - 2))) {
                return List.of(acl.getProperty(key).split("\\s*,\\s*"));
            }
        }
        return List.of(acl.getProperty(command, "admin").split("\\s*,\\s*"));
    }

    @Test
    void everyCommandHasAPlainLine() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : List.of(QosAuditCommand.class, Usage.class, VolumeList.class, VolumeShow.class)) {
            names.add(c.getAnnotation(Command.class).name());
        }
        Properties acl = acl();
        for (String name : names) {
            assertTrue(acl.containsKey(name), name + " has no line in " + ACL);
        }
    }

    @Test
    void aViewerAuditsListsAndReadsUsageButOnlyAnOperatorHeals() throws Exception {
        Properties acl = acl();
        assertEquals(List.of("viewer", "operator", "admin"), roles(acl, "qos-audit", List.of()));
        assertEquals(List.of("viewer", "operator", "admin"), roles(acl, "qos-audit", List.of("--json", "vol1")));
        assertEquals(List.of("operator", "admin"), roles(acl, "qos-audit", List.of("--heal")));
        assertEquals(List.of("operator", "admin"), roles(acl, "qos-audit", List.of("--json", "--heal", "vol1")));
        assertEquals(List.of("viewer", "operator", "admin"), roles(acl, "usage", List.of("--from", "2026-12-01", "--to", "2026-12-02")));
        assertEquals(List.of("viewer", "operator", "admin"), roles(acl, "volume-list", List.of("--limit", "10")));
    }

    /** The ACL matches the option's text: another spelling (an alias) would slip past it. */
    @Test
    void healHasOneSpellingOnly() throws Exception {
        List<String> healing = new ArrayList<>();
        for (Field f : QosAuditCommand.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null && o.name().contains("heal")) {
                healing.add(o.name());
                assertEquals(0, o.aliases().length, "an alias of --heal needs its own ACL line");
            }
        }
        assertEquals(List.of("--heal"), healing);
    }
}
