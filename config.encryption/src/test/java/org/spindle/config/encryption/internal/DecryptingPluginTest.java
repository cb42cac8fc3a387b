package org.spindle.config.encryption.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

class DecryptingPluginTest {
    private static final MasterKey KEY = MasterKey.of("k3y-for-the-tests-0123456789", "test");
    private final ValueCipher cipher = new ValueCipher(KEY);
    /** A delivery target (what Configuration Admin passes for a ManagedService or an SCR component). */
    private static final ServiceReference<?> TARGET = (ServiceReference<?>) Proxy.newProxyInstance(DecryptingPluginTest.class.getClassLoader(),
            new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> null);

    private Dictionary<String, Object> configuration() {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("service.pid", "org.spindle.driver.solidfire.abc");
        d.put("mvip", "10.0.0.1");
        d.put("username", "admin");
        d.put(".password", cipher.encrypt("san-admin-pass"));
        d.put(".tls.truststore.password", "plain-is-fine-too");
        d.put("capacity.iops", 1000);
        return d;
    }

    @Test
    void decryptsPrivateKeysAndLeavesTheRest() {
        Dictionary<String, Object> d = configuration();
        new DecryptingPlugin(new Decryptor(Optional.of(cipher), "")).modifyConfiguration(TARGET, d);
        assertEquals("san-admin-pass", d.get(".password"));
        assertEquals("plain-is-fine-too", d.get(".tls.truststore.password"));
        assertEquals("10.0.0.1", d.get("mvip"));
        assertEquals(1000, d.get("capacity.iops"));
    }

    @Test
    void aRequestWithoutATargetKeepsTheEncryptedValues() {
        Dictionary<String, Object> d = configuration();
        Object encrypted = d.get(".password");
        new DecryptingPlugin(new Decryptor(Optional.of(cipher), "")).modifyConfiguration(null, d);
        assertEquals(encrypted, d.get(".password"));
    }

    @Test
    void aPublicKeyKeepsItsEncryptedValue() {
        Dictionary<String, Object> d = configuration();
        String encrypted = cipher.encrypt("not-for-service-properties");
        d.put("username", encrypted);
        new DecryptingPlugin(new Decryptor(Optional.of(cipher), "")).modifyConfiguration(TARGET, d);
        assertEquals(encrypted, d.get("username"));
    }

    @Test
    void withoutAKeyOrWithAnotherOneTheValueIsRemovedNotPassedOn() {
        Dictionary<String, Object> none = configuration();
        new DecryptingPlugin(Decryptor.find(Map.<String, String>of()::get, Map.<String, String>of()::get)).modifyConfiguration(TARGET, none);
        assertNull(none.get(".password"));
        assertEquals("admin", none.get("username"));

        Dictionary<String, Object> other = configuration();
        ValueCipher otherKey = new ValueCipher(MasterKey.of("another-key-0123456789", "test"));
        new DecryptingPlugin(new Decryptor(Optional.of(otherKey), "")).modifyConfiguration(TARGET, other);
        assertNull(other.get(".password"));
        assertFalse(((Hashtable<String, Object>) other).containsKey(".password"));
    }
}
