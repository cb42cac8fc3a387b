package org.spindle.config.encryption.internal;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** The cipher made with the master key, or, when there is no usable key, why not (never the key itself). */
record Decryptor(Optional<ValueCipher> cipher, String problem) {

    static Decryptor find(UnaryOperator<String> environment, UnaryOperator<String> properties) {
        try {
            return new Decryptor(Optional.of(new ValueCipher(MasterKey.find(environment, properties))), "");
        } catch (IllegalStateException e) {
            return new Decryptor(Optional.empty(), e.getMessage());
        }
    }
}
