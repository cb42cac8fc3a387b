package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.Commands;

/**
 * The CHAP secret's names against libvirt's schema, on a stopped domain (a configuration-only attach: no iSCSI login,
 * so no target is needed). The domain XML and the secret's XML validate; a secret an older build made under the
 * usage {@code spindle/<vm>/<volume>} (which the schema refuses) is found by its UUID, kept for the disk that names it
 * on a retried attach, replaced when no disk names it, and removed on detach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmChapSecretTest {
    static final long MIB = 1024 * 1024;
    static final IoLimits LIMITS = new IoLimits(Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
    static final String TARGET_IQN = "iqn.2010-01.com.solidfire:spindle-test-chap.1";

    KvmHost host;
    TestVm vm;
    final List<UUID> volumes = new ArrayList<>();

    @BeforeAll
    void setUp() {
        Peers.require();
        host = new KvmHost(Configs.settings());
        vm = TestVm.define("spindle-test-chap-names", false);
    }

    @AfterEach
    void removeWhatATestLeft() {
        // a failed test leaves no disk and no secret: detach is idempotent
        for (UUID id : volumes) {
            host.detach(attachment(id, null), target().withoutChap());
        }
        volumes.clear();
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void theDomainAndTheSecretValidateAgainstLibvirtsSchema() {
        UUID id = newVolume();
        Attachment a = host.attach(request(id));
        String usage = "spindle-" + vm.uuid() + "-" + id;
        assertEquals(usage, a.structure());
        String disk = KvmIscsiAttachTest.diskElement(vm.configXml(), DiskXml.alias(id)); // configXml validates
        assertTrue(disk.contains("<secret type='iscsi' usage='" + usage + "'/>"), disk);
        String secret = LibvirtSchema.valid(Cmd.virsh("secret-dumpxml", ChapSecrets.uuid(id, vm.uuid()).toString()), "secret");
        assertTrue(secret.contains("<target>" + usage + "</target>"), secret);
        assertEquals(List.of(usage), usages(id));

        host.detach(a, target().withoutChap());
        assertFalse(vm.configXml().contains(DiskXml.alias(id)));
        assertEquals(List.of(), usages(id));
    }

    @Test
    void theSchemaRefusesTheOldUsage() {
        // what the test relies on: the old name does not validate, so a domain naming it fails LibvirtSchema
        String domain = "<domain type='qemu'><name>x</name><memory>65536</memory><os><type>hvm</type></os><devices>"
                + DiskXml.iscsiDisk(TARGET_IQN, 1, Portal.iscsi("127.0.0.1"), Configs.INITIATOR, new Chap("u", Secret.of("s")),
                "%s", "sda", "scsi", "ua-x", IoTune.of(IoLimits.NONE)) + "</devices></domain>";
        UUID id = UUID.randomUUID();
        assertEquals(0, validate(String.format(domain, ChapSecrets.usage(id, vm.uuid()))));
        assertTrue(validate(String.format(domain, ChapSecrets.legacyUsage(id, vm.uuid()))) != 0);
    }

    @Test
    void aDiskAttachedByAnOlderBuildKeepsItsSecretUntilDetach() throws IOException {
        UUID id = newVolume();
        String legacy = ChapSecrets.legacyUsage(id, vm.uuid());
        defineLegacySecret(id);
        String disk = DiskXml.iscsiDisk(TARGET_IQN, 1, Portal.iscsi("127.0.0.1"), Configs.INITIATOR,
                new Chap("chapuser", Secret.of("old-secret-1")), legacy, "sdb", "scsi", DiskXml.alias(id), IoTune.of(IoLimits.NONE));
        Cmd.virsh("attach-device", vm.uuid(), write("legacy-disk", disk), "--config");

        // a retried attach finds the disk: the secret keeps the usage the disk names, so the VM still starts with it
        Attachment a = host.attach(request(id));
        assertEquals(legacy, a.structure());
        assertEquals(List.of(legacy), usages(id));
        assertTrue(Cmd.virsh("dumpxml", "--inactive", vm.uuid()).contains("<read_iops_sec>200</read_iops_sec>"),
                "the limits were brought up to date");

        host.detach(a, target().withoutChap());
        assertEquals(List.of(), usages(id), "detach removes the secret made under the old usage");
        assertFalse(vm.configXml().contains(DiskXml.alias(id)));
    }

    @Test
    void aSecretLeftUnderTheOldUsageWithoutADiskIsReplaced() throws IOException {
        UUID id = newVolume();
        defineLegacySecret(id);
        Attachment a = host.attach(request(id));
        assertEquals(ChapSecrets.usage(id, vm.uuid()), a.structure());
        assertEquals(List.of(a.structure()), usages(id), "one secret, under the new usage");
        vm.configXml();
    }

    // --- helpers

    UUID newVolume() {
        UUID id = UUID.randomUUID();
        volumes.add(id);
        return id;
    }

    Target target() {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), TARGET_IQN, 1, null, new Chap("chapuser", Secret.of("chap-secret-2")));
    }

    AttachRequest request(UUID id) {
        return new AttachRequest(id, "chap-" + id.toString().substring(0, 8), 16 * MIB, host.findVm(vm.uuid()).orElseThrow(),
                target(), true, LIMITS);
    }

    Attachment attachment(UUID id, String structure) {
        return new Attachment(id, vm.uuid(), vm.name, "host1", "sdb", structure, true);
    }

    /** A secret as builds before the schema fix defined it: the same derived UUID, usage {@code spindle/<vm>/<volume>}. */
    void defineLegacySecret(UUID id) throws IOException {
        String uuid = ChapSecrets.uuid(id, vm.uuid()).toString();
        Cmd.virsh("secret-define", write("legacy-secret", DiskXml.secret(ChapSecrets.uuid(id, vm.uuid()),
                ChapSecrets.legacyUsage(id, vm.uuid()), "older build")));
        Cmd.virsh("secret-set-value", uuid, Base64.getEncoder().encodeToString("old-secret-1".getBytes()));
        assertEquals(List.of(ChapSecrets.legacyUsage(id, vm.uuid())), usages(id));
    }

    /** The usages of the secrets that name this volume on this VM, old or new form, from {@code virsh secret-list}. */
    List<String> usages(UUID id) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*[0-9a-f-]{36}\\s+iscsi\\s+(spindle[-/]" + Pattern.quote(vm.uuid()) + "[-/]" + id + ")\\s*$")
                .matcher(Cmd.virsh("secret-list"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int validate(String xml) {
        try {
            Path f = Files.createTempFile("spindle-schema", ".xml");
            Files.writeString(f, xml);
            int exit = Commands.run("virt-xml-validate", f.toString(), "domain").exit();
            Files.delete(f);
            return exit;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(String name, String content) throws IOException {
        Path f = Files.createTempFile("spindle-" + name, ".xml");
        Files.writeString(f, content);
        f.toFile().deleteOnExit();
        return f.toString();
    }
}
