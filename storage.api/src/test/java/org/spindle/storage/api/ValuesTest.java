package org.spindle.storage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Names;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.VolumeSpec;

/** The values validate themselves at construction, naming the field and what is allowed. */
class ValuesTest {

    static StorageException refused(org.junit.jupiter.api.function.Executable e) {
        StorageException x = assertThrows(StorageException.class, e);
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, x.reason());
        assertFalse(x.getMessage().contains("\n"), "one line");
        return x;
    }

    @Test
    void storageQos_keepsMinBelowMaxBelowBurst() {
        assertEquals("min-iops", refused(() -> new StorageQos(2000, 1000, 0)).field());
        assertEquals("burst-iops", refused(() -> new StorageQos(0, 1000, 900)).field());
        assertEquals("burst-iops", refused(() -> new StorageQos(600, 0, 500)).field());
        assertEquals("max-iops", refused(() -> new StorageQos(0, -1, 0)).field());
        assertTrue(refused(() -> new StorageQos(2000, 1000, 0)).getMessage().contains("1000"));
        new StorageQos(100, 100, 100);
        new StorageQos(0, 0, 0);
    }

    @Test
    void storageQos_orElseFillsOnlyUnsetValues() {
        assertEquals(new StorageQos(100, 500, 800), new StorageQos(100, 0, 0).orElse(new StorageQos(50, 500, 800)));
    }

    @Test
    void limit_burstNeedsARateBelowIt_lengthNeedsABurst() {
        assertEquals("read-iops-max", refused(() -> new Limit("read-iops", 0, 100, 0)).field());
        assertEquals("read-iops-max", refused(() -> new Limit("read-iops", 500, 100, 0)).field());
        assertEquals("read-iops-max-length", refused(() -> new Limit("read-iops", 500, 0, 10)).field());
        assertEquals("write-bps", refused(() -> new Limit("write-bps", -1, 0, 0)).field());
        Limit ok = new Limit("read-iops", 500, 1000, 10);
        assertTrue(ok.isSet());
        assertFalse(Limit.NONE.isSet());
    }

    @Test
    void ioLimits_reportWhatTheyUse() {
        IoLimits split = new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        assertTrue(split.hasSplit());
        assertFalse(split.hasTotal());
        assertFalse(split.hasBytes());
        IoLimits total = new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, new Limit(100, 200, 5));
        assertTrue(total.hasTotal() && total.hasBytes() && total.hasBurst() && total.hasBurstLength());
        assertTrue(IoLimits.NONE.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "a b", "x/y", "ünïcode", "a1234567890123456789012345678901234567890123456789012345678901234"})
    void names_refuseWhatCannotBeAName(String bad) {
        assertEquals("name", refused(() -> Names.check("name", bad)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "gold", "a.b_c-d", "0volume"})
    void names_acceptLettersDigitsAndSeparators(String good) {
        assertEquals(good, Names.check("name", good));
    }

    @Test
    void volumeSpec_needsAtLeastOneMebibyte() {
        assertEquals("size", refused(() -> new VolumeSpec("v1", "gold", 1000, "admin", StorageQos.NONE)).field());
        assertEquals("size", refused(() -> new VolumeSpec("v1", "gold", -1, "admin", StorageQos.NONE)).field());
        assertEquals("offering", refused(() -> new VolumeSpec("v1", "", 1 << 20, "admin", StorageQos.NONE)).field());
        new VolumeSpec("v1", "gold", 1 << 20, "admin", StorageQos.NONE);
    }

    @Test
    void offering_checksItsTags() {
        assertEquals("tags", refused(() -> new Offering("gold", null, List.of("ok", "not ok"), org.spindle.storage.api.qos.QosSpec.NONE, false)).field());
        assertEquals("", new Offering("gold", null, List.of(), org.spindle.storage.api.qos.QosSpec.NONE, false).description());
    }

    @Test
    void secret_neverShowsItsValue() {
        Secret s = Secret.of("p4ssw0rd-value");
        Chap chap = new Chap("tenant", s);
        Target t = new Target(Protocols.ISCSI, List.of(Portal.iscsi("127.0.0.1")), "iqn.2010-01.com.example:v1", 0, null, chap);
        assertFalse(s.toString().contains("p4ssw0rd"));
        assertFalse(chap.toString().contains("p4ssw0rd"));
        assertFalse(t.toString().contains("p4ssw0rd"));
        assertEquals("p4ssw0rd-value", s.reveal());
        assertEquals(Secret.of("p4ssw0rd-value"), s);
        refused(() -> Secret.of(""));
    }

    @Test
    void target_withoutChap_isWhatGetsStored() {
        Target t = new Target(Protocols.ISCSI, List.of(Portal.iscsi("127.0.0.1")), "iqn.x:y", 0, null,
                new Chap("u", Secret.of("s3cret-value-x")));
        SanVolume v = new SanVolume(UUID.randomUUID(), "1", 1 << 20, StorageQos.NONE, t);
        assertNull(v.target().chap(), "SAN volumes never carry credentials");
        assertEquals("target.lun", refused(() -> new Target(Protocols.ISCSI, List.of(), "iqn.x:y", -1, null, null)).field());
        assertEquals("target.protocol", refused(() -> new Target("iSCSI", List.of(), "iqn.x:y", 0, null, null)).field());
    }
}
