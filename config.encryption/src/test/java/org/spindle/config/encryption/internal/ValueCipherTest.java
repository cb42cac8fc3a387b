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
