package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Principal;
import java.security.PrivilegedAction;
import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.audit.AuditEvent;
import org.spindle.storage.api.audit.AuditQuery;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.core.internal.audit.AuditService;

/** Issue 13: every state-changing call is recorded with who made it, what, when and the outcome, and posted. */
class AuditTrailTest extends LifecycleFixture {

    /** A user principal as Karaf's JAAS realm gives one (matched by its simple class name). */
    static final class UserPrincipal implements Principal {
        private final String name;

        UserPrincipal(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }
    }

    /** A role principal: never taken for the user. */
    static final class RolePrincipal implements Principal {
        @Override
        public String getName() {
            return "operator";
        }
    }

    @SuppressWarnings("removal")
    private static <T> T as(String user, PrivilegedAction<T> action) {
        Subject s = new Subject(false, Set.of(new RolePrincipal(), new UserPrincipal(user)), Set.of(), Set.of());
        return Subject.doAs(s, action);
    }

    @Test
    void everyChange_isRecordedWithItsUser_andItsOutcome_newestFirst() {
        as("alice", () -> create("v1"));
        as("alice", () -> volumes.attach("v1", "vm1", null));
        assertThrows(StorageException.class, () -> as("bob", () -> volumes.delete("v1")));
        as("bob", () -> volumes.changeQos("v1", new QosSpec(StorageQos.NONE, IoLimits.NONE)));
        volumes.detach("v1");

        List<AuditEvent> all = new AuditService(store).events(new AuditQuery(null, null, null, null, 100));
        assertEquals(List.of("volume.detach", "volume.qos", "volume.delete", "volume.attach", "volume.create", "offering.create"),
                all.stream().map(AuditEvent::operation).toList());
        AuditEvent refused = all.get(2);
        assertEquals("bob", refused.actor());
        assertEquals("v1", refused.target());
        assertEquals("CONFLICT", refused.outcome());
        assertTrue(refused.detail().contains("detach it first"), refused.detail());
        assertEquals("alice", all.get(3).actor(), "the user, not the role");
        assertEquals("vm vm1", all.get(3).detail());
        assertEquals(AuditEvent.OK, all.get(3).outcome());
        assertEquals(AuditEvent.SYSTEM, all.get(0).actor(), "a call without a subject");
        assertEquals(AuditEvent.SYSTEM, all.get(5).actor(), "the fixture's offering, made without one");
        assertTrue(all.get(0).id() > all.get(1).id());

        assertEquals(2, new AuditService(store).events(new AuditQuery(null, null, "alice", null, 100)).size());
        assertEquals(1, new AuditService(store).events(new AuditQuery(null, null, null, "v1", 1)).size());
        Event attach = posted.stream().filter(e -> e.getTopic().equals("org/spindle/audit/VOLUME_ATTACH")).findFirst().orElseThrow();
        assertEquals("alice", attach.getProperty("audit.actor"));
        assertEquals("OK", attach.getProperty("audit.outcome"));
    }

    @Test
    void offerings_areAuditedToo_andASecretNeverIsInADetail() {
        as("carol", () -> offerings.create(new Offering("silver", "", List.of("gold"), new QosSpec(new StorageQos(100, 200, 300),
                IoLimits.NONE), false)));
        assertThrows(StorageException.class, () -> as("carol", () -> {
            offerings.delete("nope");
            return null;
        }));
        create("v2");
        volumes.attach("v2", "vm1", null); // the grant returns CHAP secrets: they must not reach the trail
        List<AuditEvent> all = new AuditService(store).events(new AuditQuery(null, null, null, null, 100));
        assertTrue(all.stream().anyMatch(e -> e.operation().equals("offering.create") && e.actor().equals("carol")));
        assertTrue(all.stream().anyMatch(e -> e.operation().equals("offering.delete") && e.outcome().equals("NOT_FOUND")));
        for (AuditEvent e : all) {
            assertFalse(String.valueOf(e).contains(FakeSan.CHAP_SECRET), e.toString());
            assertFalse(String.valueOf(e).contains(FakeSan.CHAP_TARGET_SECRET), e.toString());
        }
    }
}
