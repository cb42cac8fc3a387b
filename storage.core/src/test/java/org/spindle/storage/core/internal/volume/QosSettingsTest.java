package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;

/** The QoS audit and usage configuration refuses bad values naming the key and what is allowed. */
class QosSettingsTest {

    private static QosAuditConfig config(int interval, String mode, int reads, int period) {
        return new QosAuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QosAuditConfig.class;
            }

            @Override
            public int audit_interval_seconds() {
                return interval;
            }

            @Override
            public String audit_mode() {
                return mode;
            }

            @Override
            public int audit_reads_per_second() {
                return reads;
            }

            @Override
            public int usage_period_seconds() {
                return period;
            }
        };
    }

    private static StorageException refused(QosAuditConfig c) {
        return assertThrows(StorageException.class, () -> VolumeManager.QosSettings.of(c));
    }

    @Test
    void eachBadValueIsRefusedNamingItsKey() {
        assertEquals("audit.interval.seconds", refused(config(-1, "report", 20, 3600)).field());
        StorageException mode = refused(config(300, "fix", 20, 3600));
        assertEquals("audit.mode", mode.field());
        assertTrue(mode.getMessage().contains("report or heal"), mode.getMessage());
        assertEquals("audit.reads.per.second", refused(config(300, "report", -5, 3600)).field());
        StorageException period = refused(config(300, "report", 20, 59));
        assertEquals("usage.period.seconds", period.field());
        assertTrue(period.getMessage().contains("at least 60"), period.getMessage());
    }

    @Test
    void goodValuesAreTaken() {
        VolumeManager.QosSettings s = VolumeManager.QosSettings.of(config(0, "heal", 0, 60));
        assertEquals(new VolumeManager.QosSettings(0, true, 0, 60), s);
    }
}
