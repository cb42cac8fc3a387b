package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.storage.api.StorageException;

class ClusterSettingsTest {
    static final String PIN = "AB:" + "CD:".repeat(30) + "EF";

    /** A configuration with the given values over valid defaults. */
    static VmwareClusterConfig config(Map<String, Object> over) {
        Map<String, Object> v = new HashMap<>(Map.of("vcenter_url", "https://vc.example.org/sdk", "vcenter_user", "spindle@vsphere.local",
                "_vcenter_password", "Very-secret-1", "tls_fingerprint_sha256", PIN, "datacenter", "DC0", "cluster", "DC0_C0"));
        v.putAll(over);
        return new VmwareClusterConfig() {
            private Object get(String k, Object d) {
                return v.getOrDefault(k, d);
            }

            public Class<? extends Annotation> annotationType() {
                return VmwareClusterConfig.class;
            }

            public String name() { return (String) get("name", ""); }
            public String vcenter_url() { return (String) get("vcenter_url", null); }
            public String vcenter_user() { return (String) get("vcenter_user", null); }
            public String _vcenter_password() { return (String) get("_vcenter_password", null); }
            public String tls_fingerprint_sha256() { return (String) get("tls_fingerprint_sha256", ""); }
            public String tls_truststore() { return (String) get("tls_truststore", ""); }
            public String _tls_truststore_password() { return (String) get("_tls_truststore_password", ""); }
            public String datacenter() { return (String) get("datacenter", null); }
            public String cluster() { return (String) get("cluster", null); }
            public String storage_zone() { return (String) get("storage_zone", ""); }
            public String[] structures() { return (String[]) get("structures", new String[0]); }
            public int timeout_seconds() { return (Integer) get("timeout_seconds", 30); }
            public int task_timeout_seconds() { return (Integer) get("task_timeout_seconds", 120); }
            public int refresh_seconds() { return (Integer) get("refresh_seconds", 60); }
            public int stats_seconds() { return (Integer) get("stats_seconds", 600); }
        };
    }

    static StorageException refused(Map<String, Object> over) {
        return assertThrows(StorageException.class, () -> ClusterSettings.of(config(over)));
    }

    @Test
    void aValidConfigurationKeepsThePasswordOutOfItsText() {
        ClusterSettings s = ClusterSettings.of(config(Map.of("storage_zone", "zone-a")));
        assertEquals("DC0_C0", s.name(), "the service is named after the cluster by default");
        assertEquals("https://vc.example.org/sdk", s.url().toString());
        assertInstanceOf(VimTrust.Pinned.class, s.trust());
        assertEquals("Very-secret-1", s.password().reveal());
        assertFalse(s.toString().contains("Very-secret-1"));
        assertEquals("https://vc.example.org/sdk", ClusterSettings.of(config(Map.of("vcenter_url", "https://vc.example.org"))).url().toString());
        assertEquals(java.util.List.of("ds1", "ds 2"), ClusterSettings.of(config(Map.of("structures", new String[] {"ds1, ds 2"}))).structures());
    }

    @Test
    void eachBadValueIsRefusedNamingItsKey() {
        assertEquals("vcenter.url", refused(Map.of("vcenter_url", "http://vc.example.org/sdk")).field());
        assertEquals("vcenter.url", refused(Map.of("vcenter_url", "https://root:pw@vc.example.org/sdk")).field());
        assertEquals("vcenter.user", refused(Map.of("vcenter_user", " ")).field());
        assertEquals(".vcenter.password", refused(Map.of("_vcenter_password", "")).field());
        StorageException noTrust = refused(Map.of("tls_fingerprint_sha256", ""));
        assertEquals("tls.fingerprint.sha256", noTrust.field());
        assertTrue(noTrust.getMessage().contains("tls.truststore"));
        assertEquals("tls.fingerprint", refused(Map.of("tls_fingerprint_sha256", "AB:CD")).field());
        assertEquals("tls.fingerprint.sha256", refused(Map.of("tls_truststore", "/etc/ssl/x.p12")).field());
        assertEquals("tls.truststore", refused(Map.of("tls_fingerprint_sha256", "", "tls_truststore", "/no/such/store.p12")).field());
        assertEquals("datacenter", refused(Map.of("datacenter", "DC0/host")).field());
        assertEquals("cluster", refused(Map.of("cluster", "")).field());
        assertEquals("name", refused(Map.of("cluster", "Cluster A")).field());
        assertEquals("storage.zone", refused(Map.of("storage_zone", "zone a")).field());
        assertEquals("timeout.seconds", refused(Map.of("timeout_seconds", 0)).field());
        assertEquals("refresh.seconds", refused(Map.of("refresh_seconds", 4000)).field());
        // vCenter keeps an hour of real-time samples: reading them less often than that would lose some
        assertEquals("stats.seconds", refused(Map.of("stats_seconds", 3601)).field());
        assertEquals("stats.seconds", refused(Map.of("stats_seconds", 0)).field());
        assertEquals("structures", refused(Map.of("structures", new String[] {"ds1, ds1"})).field());
        assertEquals("structures", refused(Map.of("structures", new String[] {"[ds1]"})).field());
        for (StorageException e : new StorageException[] {refused(Map.of("vcenter_url", "ftp://x")), refused(Map.of("cluster", ""))}) {
            assertFalse(e.getMessage().contains("Very-secret-1"));
        }
    }
}
