package org.spindle.storage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.StorageQosCapability;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/** The values added for Contracts 1.0: portals, device ids, mutual CHAP, host groups, vocabularies, weight. */
class ContractValuesTest {

    static StorageException refused(org.junit.jupiter.api.function.Executable e) {
        StorageException x = assertThrows(StorageException.class, e);
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, x.reason());
        return x;
    }

    @Test
    void portal_printsAndParsesIpv4HostNamesAndIpv6() {
        assertEquals("10.0.0.5:3260", Portal.iscsi("10.0.0.5").toString());
        assertEquals("[fd00::5]:3261", new Portal("fd00::5", 3261).toString());
        assertEquals(new Portal("fd00::5", 3261), Portal.parse("[fd00::5]:3261", 3260));
        assertEquals(new Portal("fd00::5", 3260), Portal.parse("[fd00::5]", 3260));
        assertEquals(new Portal("fd00::5", 3260), Portal.parse("fd00::5", 3260), "a bare IPv6 address is a host");
        assertEquals(new Portal("san.example", 3262), Portal.parse("san.example:3262", 3260));
        assertEquals(new Portal("san.example", 3260), Portal.parse("san.example", 3260));
        for (Portal p : List.of(Portal.iscsi("127.0.0.1"), new Portal("::1", 1), new Portal("a-b.c", 65535))) {
            assertEquals(p, Portal.parse(p.toString(), 9), "round trip of " + p);
        }
    }

    @Test
    void portal_refusesBadHostsAndPorts() {
        assertEquals("portal.port", refused(() -> new Portal("h", 0)).field());
        assertEquals("portal.port", refused(() -> new Portal("h", 65536)).field());
        assertEquals("portal.host", refused(() -> new Portal("[::1]", 3260)).field());
        assertEquals("portal.host", refused(() -> new Portal("a b", 3260)).field());
        assertEquals("portal.host", refused(() -> new Portal("", 3260)).field());
        assertEquals("portal.port", refused(() -> Portal.parse("h:x", 3260)).field());
        assertEquals("portal", refused(() -> Portal.parse("[::1", 3260)).field());
    }

    @Test
    void portal_quotesARefusedValueEscapedAndShort() {
        String forged = refused(() -> Portal.parse("h\n[ERROR] forged log line:1", 3260)).getMessage();
        assertFalse(forged.contains("\n"), forged);
        assertTrue(forged.contains("'h\\u000a[ERROR] forged log line'"), forged);
        String flood = refused(() -> new Portal("h/" + "x".repeat(200), 3260)).getMessage();
        assertTrue(flood.length() < 250 && flood.contains("(202 characters)"), flood);
    }

    @Test
    void target_deviceIdIsADesignatorAndHex() {
        Target t = new Target(Protocols.ISCSI, List.of(Portal.iscsi("h")), "iqn.x:y", 0, "naa.6f47acc1000000007537646f00003a22", null);
        assertEquals("naa.6f47acc1000000007537646f00003a22", t.withChap(new Chap("u", Secret.of("s"))).withoutChap().deviceId());
        assertEquals(Portal.iscsi("h"), t.portal());
        assertEquals("target.deviceId", refused(() -> new Target(Protocols.ISCSI, List.of(), "iqn.x:y", 0, "NAA.ABC", null)).field());
        assertEquals("target.deviceId", refused(() -> new Target(Protocols.ISCSI, List.of(), "iqn.x:y", 0, "6f47acc1", null)).field());
        assertEquals("target.portals", refused(() -> new Target(Protocols.ISCSI, List.of(), "iqn.x:y", 0, null, null).portal()).field());
    }

    @Test
    void chap_mutualNeedsBothTargetNameAndSecret() {
        Chap mutual = new Chap("init", Secret.of("a-secret-1"), "target", Secret.of("b-secret-2"));
        assertTrue(mutual.isMutual());
        assertFalse(new Chap("init", Secret.of("a-secret-1")).isMutual());
        assertEquals("chap.targetUsername", refused(() -> new Chap("init", Secret.of("x"), "target", null)).field());
        assertEquals("chap.targetUsername", refused(() -> new Chap("init", Secret.of("x"), null, Secret.of("y"))).field());
        assertFalse(mutual.toString().contains("b-secret-2"));
    }

    @Test
    void hostGroup_sortsAndDeduplicatesInitiators() {
        HostGroup g = new HostGroup("pool-a", List.of("iqn.b", "iqn.a", "iqn.b"));
        assertEquals(List.of("iqn.a", "iqn.b"), g.initiators());
        assertEquals("initiators", refused(() -> new HostGroup("pool-a", List.of())).field());
        assertEquals("initiators", refused(() -> new HostGroup("pool-a", List.of(" "))).field());
        assertEquals("hostGroup.name", refused(() -> new HostGroup("", List.of("iqn.a"))).field());
    }

    @Test
    void vocabularies_readTokensAndConstantNames() {
        assertEquals("read-write", HypervisorLimit.READ_WRITE.token());
        assertEquals(Optional.of(HypervisorLimit.READ_WRITE), HypervisorLimit.fromToken("read-write"));
        assertEquals(Optional.of(HypervisorLimit.READ_WRITE), HypervisorLimit.fromToken("READ_WRITE"));
        assertEquals(Optional.of(HypervisorLimit.BURST_LENGTH), HypervisorLimit.fromToken(" Burst-Length "));
        assertEquals(Optional.empty(), HypervisorLimit.fromToken("latency"));
        assertEquals(Optional.of(StorageQosCapability.MIN_IOPS), StorageQosCapability.fromToken("MIN_IOPS"));
        assertEquals("burst-iops", StorageQosCapability.BURST_IOPS.token());
        assertEquals(Optional.empty(), StorageQosCapability.fromToken(null));
    }

    @Test
    void weight_isAPriorityNotACap() {
        IoLimits w = IoLimits.NONE.withWeight(800);
        assertTrue(w.hasWeight());
        assertFalse(w.hasCaps());
        assertFalse(w.isEmpty());
        assertTrue(new IoLimits(Limit.of(5), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE).hasCaps());
        assertEquals("weight", refused(() -> IoLimits.NONE.withWeight(1001)).field());
        assertEquals("weight", refused(() -> IoLimits.NONE.withWeight(-1)).field());
    }
}
