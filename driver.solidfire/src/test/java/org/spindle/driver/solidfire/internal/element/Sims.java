package org.spindle.driver.solidfire.internal.element;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Simulators and clients for the element tests. */
final class Sims {
    static final String USER = "admin";
    static final String PASSWORD = "Adm1n-pa55word";

    private Sims() {
    }

    static ElementSimulator start() throws IOException {
        return ElementSimulator.builder().credentials(USER, PASSWORD).tgt(ElementSimulator.TgtMode.OFF)
                .uniqueId("e" + UUID.randomUUID().toString().substring(0, 5)).start();
    }

    static String mvip(ElementSimulator sim) {
        return URI.create(sim.url()).getAuthority();
    }

    static ElementClient client(ElementSimulator sim) {
        return client(sim, PASSWORD, pinned(sim.certificateSha256()), new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    static ElementClient client(ElementSimulator sim, String password, SSLContext tls, RetryPolicy retry) {
        return client(mvip(sim), password, tls, retry, Duration.ofSeconds(10));
    }

    static ElementClient client(String mvip, String password, SSLContext tls, RetryPolicy retry, Duration requestTimeout) {
        return new ElementClient(mvip, USER, Secret.of(password), tls, Duration.ofSeconds(2), requestTimeout, retry,
                new ObjectMapper());
    }

    /** A client that reads replies of at most {@code maxReplyBytes}, without retries. */
    static ElementClient client(ElementSimulator sim, long maxReplyBytes) {
        return new ElementClient(mvip(sim), USER, Secret.of(PASSWORD), pinned(sim.certificateSha256()), Duration.ofSeconds(2),
                Duration.ofSeconds(30), new RetryPolicy(3, Duration.ZERO, Duration.ZERO), new ObjectMapper(), maxReplyBytes);
    }

    static SSLContext pinned(String sha256) {
        try {
            return TlsTrust.pinned(sha256);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
