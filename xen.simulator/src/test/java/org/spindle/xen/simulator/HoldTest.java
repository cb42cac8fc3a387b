package org.spindle.xen.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.VM;

/**
 * {@link Faults#hold}: a call held before it acts has done nothing yet and acts once released, also when its client
 * has gone; a call held after it acts has done its work and its client waits for the reply; the pool answers other
 * calls meanwhile; skip, the time limit and {@link Faults#clear()} end or move a hold. Both wires.
 */
class HoldTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static XenSimulator sim;
    private static Connection c;
    private static VM vm;

    @BeforeAll
    static void start() throws Exception {
        sim = XenSimulator.builder().host("xen1", "iqn.2026-12.org.spindle.xensim:h1").vm("vm1", "xen1", true).build().start();
        c = Sdk.login(sim);
        vm = VM.getByUuid(c, sim.vmUuid("vm1"));
    }

    @BeforeEach
    void reset() throws Exception {
        sim.faults().clear();
        vm.setNameLabel(c, "vm1");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private String label() {
        return (String) sim.records("VM").get(0).get("name_label");
    }

    private CompletableFuture<Void> rename(Connection on, String name) {
        return CompletableFuture.runAsync(() -> {
            try {
                vm.setNameLabel(on, name);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void heldBeforeItActs_nothingHappensUntilReleased_andOtherCallsAreAnswered() throws Exception {
        Hold hold = sim.faults().hold("VM.set_name_label", Hold.When.BEFORE);
        assertFalse(hold.reached());
        CompletableFuture<Void> call = rename(c, "renamed");
        assertTrue(hold.awaitReached(WAIT));
        assertEquals("vm1", label(), "held before it acts: nothing done yet");
        assertEquals(1, Host.getAll(Sdk.login(sim)).size(), "the pool answers other calls meanwhile");
        assertFalse(call.isDone());
        hold.release();
        call.get(20, TimeUnit.SECONDS);
        assertTrue(hold.awaitDone(WAIT));
        assertEquals("renamed", label());
    }

    @Test
    void heldAfterItActs_theEffectIsThereAndTheClientWaitsForItsReply() throws Exception {
        Hold hold = sim.faults().hold("VM.set_name_label", Hold.When.AFTER);
        CompletableFuture<Void> call = rename(c, "renamed");
        assertTrue(hold.awaitReached(WAIT));
        assertEquals("renamed", label(), "held after it acts: done already");
        assertFalse(call.isDone(), "the reply is held");
        assertFalse(hold.done());
        hold.release();
        call.get(20, TimeUnit.SECONDS);
        assertTrue(hold.awaitDone(WAIT));
    }

    @Test
    void aCallHeldBeforeItActsWhoseClientHungUp_actsOnceReleased() throws Exception {
        Hold hold = sim.faults().hold("VM.set_name_label", Hold.When.BEFORE);
        String body = "<?xml version=\"1.0\"?><methodCall><methodName>VM.set_name_label</methodName><params>"
                + "<param><value>" + c.getSessionReference() + "</value></param><param><value>" + vm.toWireString()
                + "</value></param><param><value>after-the-client</value></param></params></methodCall>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = Sdk.trusting(sim).getSocketFactory().createSocket("127.0.0.1", sim.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            assertTrue(hold.awaitReached(WAIT));
        } // the client hangs up while its call is held
        assertEquals("vm1", label());
        hold.release();
        assertTrue(hold.awaitDone(WAIT));
        assertEquals("after-the-client", label(), "xapi completes a call whose client went away");
    }

    @Test
    void skipLetsTheFirstCallsPass_andTheTimeLimitEndsAHold() throws Exception {
        Hold hold = sim.faults().hold("VM.set_name_label", Hold.When.BEFORE, 1, Duration.ofMillis(200));
        rename(c, "first").get(20, TimeUnit.SECONDS);
        assertFalse(hold.reached(), "the first call passed");
        assertEquals("first", label());
        rename(c, "second").get(20, TimeUnit.SECONDS); // never released: its time ran out
        assertTrue(hold.reached());
        assertTrue(hold.awaitDone(WAIT));
        assertEquals("second", label());
        rename(c, "third").get(20, TimeUnit.SECONDS);
        assertEquals("third", label(), "a hold takes one call");
    }

    @Test
    void clearReleasesHeldCallsAndDropsWaitingHolds() throws Exception {
        Hold held = sim.faults().hold("VM.set_name_label", Hold.When.AFTER);
        Hold waiting = sim.faults().hold("VM.get_all", Hold.When.BEFORE);
        CompletableFuture<Void> call = rename(c, "renamed");
        assertTrue(held.awaitReached(WAIT));
        sim.faults().clear();
        call.get(20, TimeUnit.SECONDS);
        assertEquals(1, VM.getAll(c).size());
        assertFalse(waiting.reached());
    }

    @Test
    void holdsWorkOnJsonRpcToo() throws Exception {
        Hold hold = sim.faults().hold("VM.set_name_label", Hold.When.AFTER);
        HttpClient http = HttpClient.newBuilder().sslContext(Sdk.trusting(sim)).build();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"VM.set_name_label\",\"params\":[\"" + c.getSessionReference()
                + "\",\"" + vm.toWireString() + "\",\"json\"]}";
        CompletableFuture<HttpResponse<String>> reply = http.sendAsync(HttpRequest.newBuilder(URI.create(sim.url() + "jsonrpc"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(hold.awaitReached(WAIT));
        assertEquals("json", label());
        assertFalse(reply.isDone());
        hold.release();
        assertTrue(reply.get(20, TimeUnit.SECONDS).body().contains("\"result\""));
    }
}
