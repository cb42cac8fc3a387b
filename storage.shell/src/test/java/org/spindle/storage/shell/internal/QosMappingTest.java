package org.spindle.storage.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.shell.internal.QosText.LimitText;

class QosMappingTest {
    private static final long MIB = 1L << 20;

    private static QosText hypervisor(String option, String value) {
        LimitText none = LimitText.NONE;
        String[] parts = option.split("-", 3);
        String name = parts[0] + "-" + parts[1];
        LimitText t = parts.length == 2 ? new LimitText(value, null, null)
                : parts[2].equals("max") ? new LimitText(null, value, null) : new LimitText(null, null, value);
        return new QosText(null, null, null,
                name.equals("read-iops") ? t : none, name.equals("write-iops") ? t : none,
                name.equals("total-iops") ? t : none, name.equals("read-bps") ? t : none,
                name.equals("write-bps") ? t : none, name.equals("total-bps") ? t : none, null);
    }

    private static QosText weight(String value) {
        return new QosText(null, null, null, null, null, null, null, null, null, value);
    }

    private static void refused(String field, String message, Executable call) {
        StorageException e = assertThrows(StorageException.class, call);
        assertEquals(StorageException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void mapsEveryOption() {
        QosText text = new QosText("100", "200", "300",
                new LimitText("10", "20", "30"),
                new LimitText("11", "21", "31"),
                new LimitText("12", "22", "32"),
                new LimitText("100M", "200M", "5"),
                new LimitText("1G", "1.5G", "6"),
                new LimitText("4096", "8K", "7"), "250");

        QosSpec spec = QosMapping.toSpec(text, QosSpec.NONE);

        assertEquals(new StorageQos(100, 200, 300), spec.storage());
        assertEquals(new IoLimits(new Limit(10, 20, 30), new Limit(11, 21, 31), new Limit(12, 22, 32),
                new Limit(100 * MIB, 200 * MIB, 5), new Limit(1L << 30, 3L << 29, 6), new Limit(4096, 8192, 7), 250),
                spec.limits());
    }

    @Test
    void nothingGivenIsNone() {
        assertEquals(QosSpec.NONE, QosMapping.toSpec(QosText.NONE, QosSpec.NONE));
        assertTrue(QosText.NONE.isEmpty());
        assertEquals(StorageQos.NONE, QosMapping.toStorageQos(QosText.NONE));
    }

    @Test
    void storageOnly() {
        assertEquals(new StorageQos(500, 0, 1500), QosMapping.toStorageQos(QosText.storageOnly("500", null, "1500")));
    }

    @Test
    void optionsNotGivenKeepTheBase() {
        QosSpec base = new QosSpec(new StorageQos(100, 200, 300),
                new IoLimits(new Limit(10, 20, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(MIB)));

        QosSpec spec = QosMapping.toSpec(new QosText(null, "250", null,
                new LimitText(null, "40", null), null, null, null, null, null, null), base);

        assertEquals(new StorageQos(100, 250, 300), spec.storage());
        assertEquals(new Limit(10, 40, 30), spec.limits().readIops());
        assertEquals(Limit.of(MIB), spec.limits().totalBps());
    }

    @Test
    void theCombinationWithTheBaseIsValidated() {
        QosSpec base = new QosSpec(StorageQos.NONE,
                new IoLimits(new Limit(10, 20, 0), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE));
        refused("read-iops-max", "must be at least read-iops 30 (was 20)",
                () -> QosMapping.toSpec(hypervisor("read-iops", "30"), base));
        refused("min-iops", "must not exceed max-iops 5 (was 10)",
                () -> QosMapping.toSpec(QosText.storageOnly(null, "5", null),
                        new QosSpec(new StorageQos(10, 0, 0), IoLimits.NONE)));
    }

    @Test
    void burstBelowRateNamesTheOption() {
        refused("read-iops-max", "must be at least read-iops 500 (was 400)",
                () -> QosMapping.toSpec(new QosText(null, null, null, new LimitText("500", "400", null),
                        null, null, null, null, null, null), QosSpec.NONE));
        refused("total-bps-max", "must be at least total-bps",
                () -> QosMapping.toSpec(new QosText(null, null, null, null, null, null, null, null,
                        new LimitText("200M", "100M", null), null), QosSpec.NONE));
    }

    @Test
    void burstNeedsRateAndLengthNeedsBurst() {
        refused("write-iops-max", "needs write-iops to be set", () -> QosMapping.toSpec(hypervisor("write-iops-max", "10"), QosSpec.NONE));
        refused("write-bps-max-length", "needs write-bps-max to be set",
                () -> QosMapping.toSpec(new QosText(null, null, null, null, null, null, null,
                        new LimitText("1M", null, "10"), null, null), QosSpec.NONE));
    }

    @Test
    void storageSideOrderNamesTheOption() {
        refused("min-iops", "must not exceed max-iops 100 (was 200)",
                () -> QosMapping.toStorageQos(QosText.storageOnly("200", "100", null)));
        refused("burst-iops", "must be at least max-iops 100 (was 50)",
                () -> QosMapping.toStorageQos(QosText.storageOnly(null, "100", "50")));
    }

    @Test
    void malformedValuesNameTheirOption() {
        for (String option : new String[] {"read-iops", "read-iops-max", "read-iops-max-length", "write-iops",
                "write-iops-max", "write-iops-max-length", "total-iops", "total-iops-max", "total-iops-max-length",
                "read-bps-max-length", "write-bps-max-length", "total-bps-max-length"}) {
            refused(option, "must be a positive whole number (was 'x')", () -> QosMapping.parse(hypervisor(option, "x")));
            refused(option, "must be a positive whole number (was '0')", () -> QosMapping.parse(hypervisor(option, "0")));
            refused(option, "must be a positive whole number (was '-5')", () -> QosMapping.parse(hypervisor(option, "-5")));
            refused(option, "must be a positive whole number (was '1.5')", () -> QosMapping.parse(hypervisor(option, "1.5")));
        }
        for (String option : new String[] {"read-bps", "read-bps-max", "write-bps", "write-bps-max", "total-bps",
                "total-bps-max"}) {
            refused(option, "must be a positive whole number of bytes or a number with a binary unit",
                    () -> QosMapping.parse(hypervisor(option, "fast")));
            refused(option, "must be positive", () -> QosMapping.parse(hypervisor(option, "0M")));
            refused(option, "ambiguous", () -> QosMapping.parse(hypervisor(option, "100MB")));
        }
        refused("min-iops", "(was 'many')", () -> QosMapping.parse(QosText.storageOnly("many", null, null)));
        refused("max-iops", "(was '0')", () -> QosMapping.parse(QosText.storageOnly(null, "0", null)));
        refused("burst-iops", "(was '99999999999999999999')",
                () -> QosMapping.parse(QosText.storageOnly(null, null, "99999999999999999999")));
    }

    @Test
    void weightIsOneToAThousandAndKeptWhenNotGiven() {
        QosText highest = weight("1000");
        assertEquals(IoLimits.NONE.withWeight(1000), QosMapping.toSpec(highest, QosSpec.NONE).limits());
        assertEquals(1, QosMapping.toSpec(weight("1"), QosSpec.NONE).limits().weight());
        assertFalse(highest.isEmpty());

        QosSpec base = new QosSpec(StorageQos.NONE, IoLimits.NONE.withWeight(300));
        assertEquals(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(500), Limit.NONE, Limit.NONE, Limit.NONE, 300),
                QosMapping.toSpec(hypervisor("total-iops", "500"), base).limits());

        for (String bad : new String[] {"0", "-1", "x", "2.5"}) {
            refused("weight", "must be a positive whole number (was '" + bad + "')", () -> QosMapping.parse(weight(bad)));
        }
        refused("weight", "must be 1 (lowest) to 1000 (highest) (was '1001')", () -> QosMapping.parse(weight("1001")));
        refused("weight", "(was '99999999999999999999')", () -> QosMapping.parse(weight("99999999999999999999")));
    }

    @Test
    void bpsAcceptSizeUnits() {
        assertEquals(Limit.of(100 * MIB), QosMapping.toSpec(hypervisor("read-bps", "100M"), QosSpec.NONE).limits().readBps());
        assertEquals(Limit.of(1536), QosMapping.toSpec(hypervisor("write-bps", "1.5K"), QosSpec.NONE).limits().writeBps());
        assertEquals(Limit.of(4096), QosMapping.toSpec(hypervisor("total-bps", "4096"), QosSpec.NONE).limits().totalBps());
    }
}
