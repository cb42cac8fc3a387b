package org.spindle.driver.solidfire.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.spindle.driver.solidfire.internal.element.ElementClient;
import org.spindle.driver.solidfire.internal.element.TlsTrust;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Wires one cluster's parts from its settings: TLS, client, session, driver, lifecycle. */
final class DriverAssembly {
    private DriverAssembly() {
    }

    static DriverLifecycle assemble(ClusterSettings s, Map<String, Object> declared, String pid,
                                    DriverLifecycle.Registrar registrar, DriverLifecycle.Rejections rejections)
            throws ConfigException {
        ElementClient client = client(s);
        DriverLifecycle lifecycle = new DriverLifecycle(s, declared, pid, registrar, rejections);
        ClusterSession session = new ClusterSession(s, client, lifecycle::discovered);
        SolidFireStorageDriver driver = driver(s, session);
        lifecycle.bind(session, driver);
        return lifecycle;
    }

    static SolidFireStorageDriver driver(ClusterSettings s, ClusterSession session) {
        return new SolidFireStorageDriver(s, session, new Accounts(s.accountPrefix(), new SecureRandom()),
                new AccessGroups(new GroupNaming(s.accountPrefix())), new QosRules(s),
                new GuaranteedIops(System::nanoTime, GuaranteedIops.MAX_AGE));
    }

    static ElementClient client(ClusterSettings s) throws ConfigException {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        return new ElementClient(s.mvip(), s.username(), s.password(), tls(s), s.connectTimeout(), s.requestTimeout(),
                s.retry(), json, s.replyMaxBytes());
    }

    static SSLContext tls(ClusterSettings s) throws ConfigException {
        if (s.fingerprint().isPresent()) {
            try {
                return TlsTrust.pinned(s.fingerprint().get());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new ConfigException("tls.fingerprint.sha256", "cannot set up TLS: " + e.getMessage());
            }
        }
        try {
            return TlsTrust.truststore(s.truststore().orElseThrow(), s.truststorePassword());
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("tls.truststore", "cannot load " + s.truststore().orElseThrow() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
