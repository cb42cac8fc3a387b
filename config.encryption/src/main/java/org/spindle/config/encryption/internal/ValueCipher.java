package org.spindle.config.encryption.internal;

import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.exceptions.EncryptionOperationNotPossibleException;
import org.jasypt.iv.RandomIvGenerator;

/**
 * Encrypts and decrypts one configuration value as {@code ENC(base64)}: Jasypt's PBE string format with
 * PBEWITHHMACSHA512ANDAES_256 (AES-256 under a key derived from the master key by PBKDF2-HMAC-SHA512), a random
 * salt and a random IV per value, so the same password encrypts differently each time. Jasypt's own command-line
 * tools read and write the same values ({@code algorithm=PBEWITHHMACSHA512ANDAES_256
 * ivGeneratorClassName=org.jasypt.iv.RandomIvGenerator}). Thread-safe once built.
 */
final class ValueCipher {
    static final String ALGORITHM = "PBEWITHHMACSHA512ANDAES_256";
    private static final String PREFIX = "ENC(";
    private static final String SUFFIX = ")";

    private final StandardPBEStringEncryptor encryptor = new StandardPBEStringEncryptor();

    ValueCipher(MasterKey key) {
        encryptor.setAlgorithm(ALGORITHM);
        encryptor.setIvGenerator(new RandomIvGenerator());
        encryptor.setPasswordCharArray(key.chars());
        encryptor.initialize();
    }

    /** Whether {@code value} is an encrypted value, {@code ENC(...)} (surrounding blanks allowed). */
    static boolean isEncrypted(Object value) {
        if (!(value instanceof String s)) {
            return false;
        }
        String t = s.strip();
        return t.startsWith(PREFIX) && t.endsWith(SUFFIX) && t.length() > PREFIX.length() + SUFFIX.length();
    }

    String encrypt(String plain) {
        return PREFIX + encryptor.encrypt(plain) + SUFFIX;
    }

    /**
     * The plain text of an {@code ENC(...)} value.
     *
     * @throws IllegalArgumentException when it is not one, or when this key cannot decrypt it (another key, or a
     *         damaged value); the message never holds the value
     */
    String decrypt(String value) {
        if (!isEncrypted(value)) {
            throw new IllegalArgumentException("not an ENC(...) value");
        }
        String t = value.strip();
        String plain;
        try {
            plain = encryptor.decrypt(t.substring(PREFIX.length(), t.length() - SUFFIX.length()));
        } catch (EncryptionOperationNotPossibleException e) {
            throw undecryptable();
        }
        if (!isText(plain)) {
            throw undecryptable();
        }
        return plain;
    }

    /**
     * Whether a decrypted value is text a configuration may hold. The format carries no MAC (AES-CBC, as Jasypt writes
     * it): under another key the padding still checks out for about one value in 256, and the "plain text" is then
     * random bytes — which decode to U+FFFD replacement characters or control characters, never to a password a driver
     * accepts (they refuse control characters). Such a value is refused as undecryptable, as the padding error would be.
     */
    private static boolean isText(String plain) {
        return plain.codePoints().noneMatch(c -> c == 0xFFFD || Character.isISOControl(c));
    }

    private static IllegalArgumentException undecryptable() {
        return new IllegalArgumentException("cannot be decrypted with this master key (another key, or a damaged value)");
    }
}
