package org.spindle.storage.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spindle.storage.api.StorageException;

class SizesTest {
    private static final long K = 1L << 10, M = 1L << 20, G = 1L << 30, T = 1L << 40;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "4096|4096", "4096B|4096", "4096b|4096", "1|1",
            "1K|1024", "1k|1024", "1Ki|1024", "1KiB|1024", "1kib|1024", "0.5K|512",
            "512M|536870912", "512m|536870912", "512Mi|536870912", "512MiB|536870912",
            "10G|10737418240", "10g|10737418240", "10Gi|10737418240", "10GiB|10737418240",
            "1T|1099511627776", "1Ti|1099511627776", "1TiB|1099511627776",
            "1.5G|1610612736", "0.25T|274877906944", "2.0M|2097152", "'  10G '|10737418240",
            "8388607T|9223370937343148032", "9223372036854775807|9223372036854775807"})
    void parsesEveryUnit(String text, long bytes) {
        assertEquals(bytes, Sizes.parse("size", text));
    }

    @Test
    void unitsAreBinary() {
        assertEquals(3 * K, Sizes.parse("size", "3K"));
        assertEquals(3 * M, Sizes.parse("size", "3M"));
        assertEquals(3 * G, Sizes.parse("size", "3G"));
        assertEquals(3 * T, Sizes.parse("size", "3T"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "-1G|must be positive", "-4096|must be positive", "0|must be positive", "0G|must be positive",
            "0.0M|must be positive", "-0|must be positive",
            "1.1K|must be a whole number of bytes", "1.5|must be a whole number of bytes",
            "0.1B|must be a whole number of bytes",
            "8388608T|must be at most 9223372036854775807 bytes",
            "9223372036854775808|must be at most 9223372036854775807 bytes",
            "99999999999999999999999G|must be at most 9223372036854775807 bytes",
            "10GB|GB is ambiguous (decimal or binary), write G or GiB",
            "10MB|MB is ambiguous (decimal or binary), write M or MiB",
            "1kb|kb is ambiguous (decimal or binary), write K or KiB",
            "1TB|TB is ambiguous (decimal or binary), write T or TiB",
            "10X|unknown unit 'X'", "1P|unknown unit 'P'", "1E|unknown unit 'E'", "10Gib2|must be a positive whole number",
            "10GiBs|unknown unit 'GiBs'", "10 G|must be a positive whole number",
            "abc|must be a positive whole number", "''|must be a positive whole number",
            "G|must be a positive whole number", ".5G|must be a positive whole number",
            "1.G|must be a positive whole number", "1..5G|must be a positive whole number",
            "1,5G|must be a positive whole number", "+1G|must be a positive whole number",
            "1e3|must be a positive whole number", "0x10|must be a positive whole number"})
    void refuses(String text, String message) {
        StorageException e = assertThrows(StorageException.class, () -> Sizes.parse("size", text));
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals("size", e.field());
        assertTrue(e.getMessage().startsWith("size: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("(was '" + text + "')"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void garbageMessageSaysWhatIsAllowed() {
        StorageException e = assertThrows(StorageException.class, () -> Sizes.parse("read-bps", "lots"));
        assertEquals("read-bps", e.field());
        assertEquals("read-bps: " + Sizes.ALLOWED + " (was 'lots')", e.getMessage());
    }

    @Test
    void refusesNull() {
        StorageException e = assertThrows(StorageException.class, () -> Sizes.parse("size", null));
        assertEquals("size", e.field());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0|0 B", "1023|1023 B", "1024|1 KiB", "1536|1.5 KiB", "1048576|1 MiB", "10737418240|10 GiB",
            "1610612736|1.5 GiB", "2147483647|1.9 GiB", "1099511627776|1 TiB", "9223372036854775807|7.9 EiB"})
    void formatsRoundingDown(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }
}
