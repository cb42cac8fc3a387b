package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * The driver bundle goes away under a running core and comes back: first stopped and started (its SAN, kept in the
 * bundle's data area, survives), then uninstalled and installed again (a new bundle, a new, empty data area).
 * While it is gone its pool is unavailable and operations that need it fail with a clear error and change nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT extends SpindleKarafTestSupport {

    @Test
    public void driverBundleGoesAndComesBack() throws BundleException {
        driver("sf5", "z5", "iscsi", "hot");
        hypervisor("h5", "z5", "iscsi", ALL_LIMITS, "vm5");
        ok("storage:offering-create --tags hot --min-iops 100 --max-iops 200 hot");
        ok("storage:volume-create --offering hot --size 1G hv1");
        ok("storage:volume-create --offering hot --size 1G hv2");
        ok("storage:volume-attach hv2 vm5");
        ok("storage:volume-detach hv2");
        assertEquals("READY", state("hv2"));

        // 1. stopped
        Bundle driver = bundle(DRIVER_BSN);
        driver.stop();
        awaitPoolAvailable("sf5", false);
        JsonNode before = volumes();
        assertUnavailable(fails("storage:volume-attach hv1 vm5"));
        assertUnavailable(fails("storage:volume-delete hv2"));
        assertEquals("nothing changed", before, volumes());

        driver.start();
        awaitPoolAvailable("sf5", true);
        ok("storage:volume-attach hv1 vm5");
        assertEquals("ATTACHED", state("hv1"));
        ok("storage:volume-detach hv1");
        ok("storage:volume-delete hv2");
        assertTrue("hv2's SAN volume survived the stop and is gone now", san("sf5").volumes().stream()
                .noneMatch(v -> v.name().equals("hv2")));

        // 2. uninstalled, then installed again from the same location
        ok("storage:volume-create --offering hot --size 1G hv3");
        String location = driver.getLocation();
        driver.uninstall();
        awaitPoolAvailable("sf5", false);
        before = volumes();
        assertUnavailable(fails("storage:volume-attach hv3 vm5"));
        assertEquals("nothing changed", before, volumes());

        Bundle again = context().installBundle(location);
        again.start();
        awaitPoolAvailable("sf5", true);
        ok("storage:volume-attach hv3 vm5");
        assertEquals("ATTACHED", state("hv3"));
        ok("storage:volume-detach hv3");
        ok("storage:volume-delete hv3");
    }

    private static void assertUnavailable(String error) {
        assertTrue("expected a 'pool sf5 ... unavailable' error, got: " + error,
                error.contains("sf5") && error.toLowerCase().contains("unavailable"));
        assertTrue("one line: " + error, !error.strip().contains("\n"));
    }
}
