package org.spindle.hyper.xen.internal;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolSettingsTest {
    private static StorageException refused(Object... kv) {
        return assertThrows(StorageException.class, () -> PoolSettings.of(Configs.config(Configs.valid(), kv)));
    }

    @Test
    void aValidConfigurationIsRead() {
        PoolSettings s = PoolSettings.of(Configs.config(Configs.valid(), "static.srs", new String[] {"gold, silver", "bronze"},
                "tls.fingerprint.sha256", "AB:".repeat(31) + "AB"));
        assertEquals("pool1", s.pool());
        assertEquals("xen-master.example", s.url().getHost());
        assertEquals("ab".repeat(32), s.fingerprint());
        assertEquals(List.of("gold", "silver", "bronze"), s.staticSrs());
        assertFalse(s.toString().contains("s3cret-pass"), s.toString());
    }

    @Test
    void refusalsNameTheKeyAndWhatIsAllowed() {
        assertEquals("pool.name", refused("pool.name", "").field());
        assertEquals("pool.name", refused("pool.name", "a pool").field());
        StorageException http = refused("xen.url", "http://xen-master/");
        assertEquals("xen.url", http.field());
        assertTrue(http.getMessage().contains("https"), http.getMessage());
        assertEquals("xen.url", refused("xen.url", "https://root:pw@xen-master/").field());
        assertEquals("xen.url", refused("xen.url", "https://xen-master/jsonrpc").field());
        assertEquals(".xen.password", refused(".xen.password", "").field());
        StorageException none = refused("tls.fingerprint.sha256", "");
        assertEquals("tls.fingerprint.sha256", none.field());
        assertTrue(none.getMessage().contains("no trust-all"), none.getMessage());
        assertEquals("tls.fingerprint.sha256", refused("tls.truststore", "/etc/hosts").field(), "both set");
        assertEquals("tls.fingerprint.sha256", refused("tls.fingerprint.sha256", "abcd").field());
        assertEquals("tls.truststore", refused("tls.fingerprint.sha256", "", "tls.truststore", "/nonexistent/store.p12").field());
        assertEquals("static.srs", refused("static.srs", new String[] {"a", "a"}).field());
        assertEquals("refresh.seconds", refused("refresh.seconds", 0).field());
        assertEquals("storage.zone", refused("storage.zone", "zone 1").field());
    }
}
