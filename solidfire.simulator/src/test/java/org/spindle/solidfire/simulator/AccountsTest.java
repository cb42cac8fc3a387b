package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountsTest {
    static ElementSimulator sim;
    static Rpc rpc;

    @BeforeAll
    static void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start();
        rpc = new Rpc(sim);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void addAccountGeneratesSecretsAndReturnsTheAccount() {
        JsonNode r = rpc.call("AddAccount", Map.of("username", "CloudStack_abc_1"));
        long id = r.get("accountID").asLong();
        JsonNode a = r.get("account");
        assertEquals(id, a.get("accountID").asLong());
        assertEquals("CloudStack_abc_1", a.get("username").asText());
        assertEquals("active", a.get("status").asText());
        String is = a.get("initiatorSecret").asText();
        String ts = a.get("targetSecret").asText();
        assertTrue(is.length() >= 12 && is.length() <= 16, is);
        assertTrue(ts.length() >= 12 && ts.length() <= 16, ts);
        assertNotEquals(is, ts);
        assertTrue(a.get("volumes").isArray() && a.get("volumes").isEmpty());
        assertTrue(a.get("attributes").isObject());
        assertTrue(a.has("enableChap") && a.has("storageContainerID"));
        assertEquals(a, rpc.call("GetAccountByID", Map.of("accountID", id)).get("account"));
        assertEquals(a, rpc.call("GetAccountByName", Map.of("username", "CloudStack_abc_1")).get("account"));
        assertEquals(is, sim.account("CloudStack_abc_1").orElseThrow().initiatorSecret());
    }

    @Test
    void addAccountWithGivenSecretsAndAttributes() {
        JsonNode a = rpc.call("AddAccount", Map.of("username", "os-project1", "initiatorSecret", "abcdefghijkl",
                "targetSecret", "abcdefghijkl", "attributes", Map.of("openstack", true))).get("account");
        assertEquals("abcdefghijkl", a.get("initiatorSecret").asText());
        assertEquals("abcdefghijkl", a.get("targetSecret").asText());
        assertTrue(a.at("/attributes/openstack").asBoolean());
    }

    @Test
    void duplicateUsername() {
        rpc.addAccount("dup-user");
        rpc.error("AddAccount", Map.of("username", "dup-user"), "xDuplicateUsername");
    }

    @Test
    void usernameAndSecretLengths() {
        rpc.error("AddAccount", Map.of("username", ""), "xInvalidParameter");
        assertTrue(rpc.error("AddAccount", Map.of("username", "u".repeat(65)), "xInvalidParameter").message().contains("username"));
        rpc.call("AddAccount", Map.of("username", "u".repeat(64)));
        Rpc.Error shortSecret = rpc.error("AddAccount", Map.of("username", "s1", "initiatorSecret", "short-secr"), "xInvalidParameter");
        assertTrue(shortSecret.message().contains("initiatorSecret"));
        assertTrue(!shortSecret.message().contains("short-secr"), "secrets never appear in messages");
        rpc.error("AddAccount", Map.of("username", "s2", "targetSecret", "x".repeat(17)), "xInvalidParameter");
        rpc.call("AddAccount", Map.of("username", "s3", "targetSecret", "x".repeat(16), "initiatorSecret", "y".repeat(12)));
        rpc.error("AddAccount", Map.of("username", "s4", "attributes", Map.of("x", "y".repeat(1000))), "xInvalidParameter");
    }

    @Test
    void unknownAccounts() {
        Rpc.Error e = rpc.error("GetAccountByName", Map.of("username", "nobody"), "xUnknownAccount");
        assertEquals("xUnknownAccount", e.name());
        rpc.error("GetAccountByID", Map.of("accountID", 999999), "xAccountIDDoesNotExist");
    }

    @Test
    void listAccounts() {
        long a = rpc.addAccount("list-a");
        long b = rpc.addAccount("list-b");
        JsonNode all = rpc.call("ListAccounts").get("accounts");
        assertTrue(all.size() >= 2);
        JsonNode page = rpc.call("ListAccounts", Map.of("startAccountID", a, "limit", 1)).get("accounts");
        assertEquals(1, page.size());
        assertEquals(a, page.get(0).get("accountID").asLong());
        assertEquals(b, rpc.call("ListAccounts", Map.of("startAccountID", b, "limit", 1)).at("/accounts/0/accountID").asLong());
    }
}
