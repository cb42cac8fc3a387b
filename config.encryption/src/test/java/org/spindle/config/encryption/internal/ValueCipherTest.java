package org.spindle.config.encryption.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.junit.jupiter.api.Test;

class ValueCipherTest {
    private static final MasterKey KEY = MasterKey.of("k3y-for-the-tests-0123456789", "test");

    @Test
    void roundTripWithAFreshSaltAndIvEachTime() {
        ValueCipher cipher = new ValueCipher(KEY);
        String a = cipher.encrypt("s3cret-SAN-pass");
        String b = cipher.encrypt("s3cret-SAN-pass");
        assertTrue(a.startsWith("ENC(") && a.endsWith(")"), a);
        assertFalse(a.contains("s3cret"), a);
        assertNotEquals(a, b, "same plain text, same ciphertext: no random salt/IV");
        assertEquals("s3cret-SAN-pass", cipher.decrypt(a));
        assertEquals("s3cret-SAN-pass", new ValueCipher(KEY).decrypt("  " + b + " "));
    }

    @Test
    void anotherKeyCannotDecryptAndTheErrorHoldsNoValue() {
        String value = new ValueCipher(KEY).encrypt("s3cret-SAN-pass");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ValueCipher(MasterKey.of("another-key-0123456789", "test")).decrypt(value));
        assertTrue(e.getMessage().contains("another key"), e.getMessage());
        assertFalse(e.getMessage().contains(value.substring(4, 20)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ValueCipher(KEY).decrypt("ENC(bm90IGEgY2lwaGVydGV4dA==)"));
        assertThrows(IllegalArgumentException.class, () -> new ValueCipher(KEY).decrypt("plain"));
    }

    /**
     * Under another key, CBC's padding check passes for about one value in 256 and Jasypt returns random bytes as text
     * (found by EncryptedConfigIT once: the driver got a "password" starting with \u0003). Values are made until Jasypt
     * itself decrypts one under the other key without an error; that value must be refused like any undecryptable one.
     */
    @Test
    void aValueWhosePaddingChecksOutUnderAnotherKeyIsRefusedToo() {
        ValueCipher ours = new ValueCipher(KEY);
        StandardPBEStringEncryptor other = new StandardPBEStringEncryptor();
        other.setAlgorithm(ValueCipher.ALGORITHM);
        other.setIvGenerator(new RandomIvGenerator());
        other.setPassword("another-key-0123456789");
        String passes = null;
        for (int i = 0; i < 20_000 && passes == null; i++) {
            String value = ours.encrypt("s3cret-SAN-pass");
            try {
                other.decrypt(value.substring(4, value.length() - 1));
                passes = value;
            } catch (org.jasypt.exceptions.EncryptionOperationNotPossibleException e) {
                // the usual case: the padding does not check out
            }
        }
        assertTrue(passes != null, "no value of 20,000 passed CBC's padding check under another key");
        String found = passes;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ValueCipher(MasterKey.of("another-key-0123456789", "test")).decrypt(found));
        assertTrue(e.getMessage().contains("another key"), e.getMessage());
        assertEquals("s3cret-SAN-pass", ours.decrypt(found), "the right key still reads it");
    }

    @Test
    void recognisesEncryptedValues() {
        assertTrue(ValueCipher.isEncrypted("ENC(abc)"));
        assertTrue(ValueCipher.isEncrypted(" ENC(abc) "));
        assertFalse(ValueCipher.isEncrypted("ENC()"));
        assertFalse(ValueCipher.isEncrypted("enc(abc)"));
        assertFalse(ValueCipher.isEncrypted("xENC(abc)"));
        assertFalse(ValueCipher.isEncrypted(42));
        assertFalse(ValueCipher.isEncrypted(null));
    }

    /** The format is Jasypt's own: a value its standard encryptor makes (as its CLI would) is read, and the reverse. */
    @Test
    void interoperatesWithJasyptsStandardEncryptor() {
        StandardPBEStringEncryptor jasypt = new StandardPBEStringEncryptor();
        jasypt.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        jasypt.setIvGenerator(new RandomIvGenerator());
        jasypt.setPassword("k3y-for-the-tests-0123456789");
        assertEquals("from-jasypt", new ValueCipher(KEY).decrypt("ENC(" + jasypt.encrypt("from-jasypt") + ")"));
        String ours = new ValueCipher(KEY).encrypt("from-spindle");
        assertEquals("from-spindle", jasypt.decrypt(ours.substring(4, ours.length() - 1)));
    }
}
