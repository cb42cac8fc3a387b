package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.test.support.Commands;

/**
 * A remote host (the second libvirtd, over qemu+tls://) that stops answering and comes back: a frozen libvirtd
 * (SIGSTOP: the TCP connection stays, nothing answers) is noticed through libvirt keepalive, a stopped one through the
 * closed connection; the host is reported unavailable with the reason, calls fail as UNAVAILABLE within the
 * configured timeouts instead of hanging, and once libvirtd answers again the same KvmHost is used again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmHostAvailabilityTest {
    static final int CONNECT_TIMEOUT = 3;
    static final int CALL_TIMEOUT = 12;

    RemotePeers remote;
    LibvirtEvents events;
    TestVm vm;
    KvmHost host;
    final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    final List<String> resumed = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        remote = RemotePeers.require();
        events = new LibvirtEvents();
        vm = TestVm.define(remote.virshUri(), "spindle-test-avail-" + UUID.randomUUID().toString().substring(0, 8), false);
        List<Object> config = new ArrayList<>(List.of(remote.tlsConfig("remote-avail")));
        config.addAll(List.of("keepalive.interval.seconds", 1, "keepalive.count", 2, "probe.interval.seconds", 2,
                "connect.timeout.seconds", CONNECT_TIMEOUT, "call.timeout.seconds", CALL_TIMEOUT));
        host = new KvmHost(Configs.settings(config.toArray()), events, Files.createTempDirectory("spindle-kvm-avail"),
                new HostMonitor.Listener() {
                    @Override
                    public void unavailable(String reason) {
                        reports.add("unavailable: " + reason);
                    }

                    @Override
                    public void available() {
                        reports.add("available");
                    }
                });
    }

    @AfterEach
    void wakeUp() {
        // whatever happened, the second libvirtd runs and answers again for the next test
        for (String pid : resumed) {
            Commands.run("kill", "-CONT", pid);
        }
        resumed.clear();
        remote.script("daemon-start").ok();
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
        if (vm != null) {
            vm.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    void aFrozenLibvirtdIsNoticedThroughKeepaliveAndCallsDoNotHang() throws Exception {
        assertEquals(vm.uuid(), host.findVm(vm.name).orElseThrow().id(), "connected, with keepalive");
        String pid = remote.libvirtdPid();
        resumed.add(pid);
        Commands.run("kill", "-STOP", pid).ok();

        String report = reports.poll(30, TimeUnit.SECONDS);
        assertNotNull(report, "the frozen host was noticed");
        assertTrue(report.startsWith("unavailable: ") && report.contains(remote.tlsUri()), report);
        assertTrue(report.contains("keepalive"), "libvirt's keepalive closed the connection to the frozen host: " + report);
        assertNotNull(host.unavailableReason());
        StorageException e = assertTimeoutPreemptively(Duration.ofSeconds(CALL_TIMEOUT + 10),
                () -> assertThrows(StorageException.class, () -> host.findVm(vm.name)), "a call does not hang");
        assertEquals(Reason.UNAVAILABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());

        Commands.run("kill", "-CONT", pid).ok();
        resumed.clear();
        assertEquals("available", nextChange(), "the host answers again");
        assertNull(host.unavailableReason());
        assertEquals(vm.uuid(), host.findVm(vm.name).orElseThrow().id(), "used again, same KvmHost");
    }

    /** The next report that is not an update of the unavailable host's reason (each new reason is reported too). */
    String nextChange() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String r;
        do {
            r = reports.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } while (r != null && r.startsWith("unavailable: "));
        return r;
    }

    @Test
    void aRestartedLibvirtdIsUsedAgain() throws Exception {
        assertEquals(vm.uuid(), host.findVm(vm.uuid()).orElseThrow().id());
        remote.script("daemon-stop").ok();
        String report = reports.poll(30, TimeUnit.SECONDS);
        assertNotNull(report, "the stopped host was noticed");
        assertTrue(report.startsWith("unavailable: "), report);
        StorageException e = assertThrows(StorageException.class, () -> host.findVm(vm.uuid()));
        assertEquals(Reason.UNAVAILABLE, e.reason(), e.getMessage());

        remote.script("daemon-start").ok();
        assertEquals("available", nextChange(), "the host answers again");
        assertEquals(vm.uuid(), host.findVm(vm.uuid()).orElseThrow().id(), "the persistent domain is there again");
    }
}
