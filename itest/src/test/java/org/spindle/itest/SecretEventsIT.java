package org.spindle.itest;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.attach.AttachRequest;

/**
 * The CHAP secrets a driver hands out reach the hypervisor and nothing else: through a volume's whole life and a forced
 * failure, no event Spindle posts (every topic under {@code org/spindle/}, every property) and no {@code storage:}
 * output, plain or {@code --json}, holds one.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecretEventsIT extends SpindleKarafTestSupport {

    @Test
    public void chapSecretsAreInNoEventAndNoOutput() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "org/spindle/*");
        EventHandler handler = e -> {
            StringBuilder b = new StringBuilder(e.getTopic());
            for (String name : e.getPropertyNames()) {
                Object v = e.getProperty(name);
                b.append(' ').append(name).append('=').append(v instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(v));
            }
            events.add(b.toString());
        };
        ServiceRegistration<EventHandler> registration = context().registerService(EventHandler.class, handler, props);
        List<String> outputs = new ArrayList<>();
        try {
            driver("secp", "z1", "iscsi", "gold");
            hypervisor("sech", "z1", "iscsi", ALL_LIMITS, "vm1");
            TestSan san = san("secp");
            TestHypervisor hypervisor = hypervisor("sech");
            outputs.add(ok("storage:offering-create --tags gold --min-iops 500 --max-iops 1000 --burst-iops 1500 --read-iops 400 --custom-iops secgold"));
            outputs.add(ok("storage:volume-create --offering secgold --size 1G sec1"));
            san.failNext("grantAccess", "injected: the SAN refused the grant");
            outputs.add(fails("storage:volume-attach sec1 vm1"));
            for (String command : List.of("storage:volume-attach sec1 vm1", "storage:volume-show sec1", "storage:volume-show --json sec1",
                    "storage:volume-qos --max-iops 900 sec1", "storage:volume-resize sec1 2G", "storage:volume-stats sec1",
                    "storage:volume-stats --json sec1", "storage:volume-list --json", "storage:pool-show --json secp",
                    "storage:driver-list --json", "storage:hypervisor-list --json", "storage:volume-detach sec1",
                    "storage:volume-attach sec1 vm1", "storage:volume-detach sec1", "storage:volume-delete sec1",
                    "storage:volume-list --all --json")) {
                outputs.add(ok(command));
            }
            List<String> secrets = new ArrayList<>();
            for (AttachRequest r : hypervisor.attachRequests()) {
                Chap chap = r.target().chap();
                if (chap != null) {
                    secrets.add(chap.secret().reveal());
                    if (chap.isMutual()) {
                        secrets.add(chap.targetSecret().reveal());
                    }
                }
            }
            assertTrue("the hypervisor got CHAP secrets: " + hypervisor.attachRequests().size() + " attach requests", secrets.size() >= 2);
            await("the volume's events (DESTROYED last)", () -> events.stream().anyMatch(e -> e.startsWith("org/spindle/volume/DESTROYED")));
            assertTrue("events were posted: " + events, events.size() >= 8);
            for (String secret : secrets) {
                assertTrue("a secret too short to search for", secret.length() >= 8);
                for (String e : events) {
                    assertFalse("a CHAP secret in an event: " + e.replace(secret, "<SECRET>"), e.contains(secret));
                }
                for (String o : outputs) {
                    assertFalse("a CHAP secret in a storage: output", o.contains(secret));
                }
            }
        } finally {
            registration.unregister();
        }
    }
}
