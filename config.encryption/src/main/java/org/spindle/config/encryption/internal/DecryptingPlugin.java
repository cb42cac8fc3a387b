package org.spindle.config.encryption.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts the {@code ENC(...)} values of private keys (a leading dot, e.g. {@code .password}) in every configuration
 * Configuration Admin delivers, so that a component gets the password and {@code etc/} keeps only its encrypted form.
 * Configuration Admin itself, {@code config:list}, JMX and the files keep the encrypted value.
 *
 * <p>A value that cannot be decrypted (no master key, another key, a damaged value) is removed from what is delivered,
 * with an error naming the configuration and the key, never the value: the component then sees no password (and a
 * Spindle driver or the database says so) instead of trying the ciphertext as one. An {@code ENC(...)} value of a
 * public key is left as it is, with an error: public keys become service properties, where no secret belongs.
 */
@Component(service = ConfigurationPlugin.class, property = {
    "config.plugin.id=org.spindle.config.encryption",
    // after the interpolation plugin (ranking 0..), so that an ENC(...) value may come from $[env:...] or $[secret:...]
    ConfigurationPlugin.CM_RANKING + ":Integer=600"})
public final class DecryptingPlugin implements ConfigurationPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptingPlugin.class);

    private final Decryptor decryptor;

    @Activate
    public DecryptingPlugin(BundleContext context) {
        this(Decryptor.find(System::getenv, context::getProperty));
    }

    DecryptingPlugin(Decryptor decryptor) {
        this.decryptor = decryptor;
    }

    /**
     * Decrypts for a delivery to a target ({@code reference} is the ManagedService, or SCR's stand-in for a component);
     * a request without a target ({@code getProcessedProperties(null)}: Karaf's {@code config:list}, its ConfigMBean,
     * its configuration writers) keeps the encrypted values, so no tool shows or writes back a decrypted password.
     */
    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (reference == null) {
            return;
        }
        Object pid = properties.get(Constants.SERVICE_PID);
        List<String> keys = new ArrayList<>(Collections.list(properties.keys()));
        for (String key : keys) {
            Object value = properties.get(key);
            if (!ValueCipher.isEncrypted(value)) {
                continue;
            }
            if (!key.startsWith(".")) {
                LOG.error("configuration {}: key {} holds an ENC(...) value, which is decrypted only for private keys (a leading dot, "
                        + "e.g. .password); left encrypted", pid, key);
                continue;
            }
            if (decryptor.cipher().isEmpty()) {
                properties.remove(key);
                LOG.error("configuration {}: key {} is encrypted and cannot be read: {}", pid, key, decryptor.problem());
                continue;
            }
            try {
                properties.put(key, decryptor.cipher().get().decrypt((String) value));
            } catch (IllegalArgumentException e) {
                properties.remove(key);
                LOG.error("configuration {}: key {}: the ENC(...) value {}", pid, key, e.getMessage());
            }
        }
    }
}
