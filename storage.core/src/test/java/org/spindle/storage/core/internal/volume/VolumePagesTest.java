package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

/** Issue 14: pages of volumes with filters, and listings that cost no SAN call; issue 15: services away are UNAVAILABLE. */
class VolumePagesTest extends LifecycleFixture {

    private List<String> names(List<Volume> page) {
        return page.stream().map(Volume::name).toList();
    }

    /**
     * The rows of a SAN's listing read by id, a few hundred a query (what a reconciliation pass matches the listing
     * against): each id this database has, destroyed ones included, in whichever chunk it falls, the last chunk short.
     */
    @Test
    void rowsByIds_acrossChunks_knownOnesOnly() {
        volumes.create(new VolumeSpec("a", "gold", G, "admin", StorageQos.NONE));
        volumes.create(new VolumeSpec("b", "gold", G, "admin", StorageQos.NONE));
        volumes.create(new VolumeSpec("c", "gold", G, "admin", StorageQos.NONE));
        volumes.delete("c");
        java.util.Map<String, java.util.UUID> ids = new java.util.HashMap<>();
        for (String n : List.of("a", "b", "c")) {
            ids.put(n, store.volume(n).orElseThrow().id());
        }
        List<java.util.UUID> asked = new ArrayList<>();
        for (int i = 0; i < 1_103; i++) {
            asked.add(java.util.UUID.randomUUID());
        }
        asked.set(0, ids.get("a"));
        asked.set(600, ids.get("b"));      // the second chunk
        asked.set(1_102, ids.get("c"));    // the last, short one
        asked.add(ids.get("a"));           // asked twice
        java.util.Map<java.util.UUID, org.spindle.storage.core.internal.db.VolumeRecord> found = store.pages().byIds(asked);
        assertEquals(java.util.Set.copyOf(ids.values()), found.keySet());
        assertEquals("b", found.get(ids.get("b")).name());
        assertEquals(VolumeState.DESTROYED, found.get(ids.get("c")).state());
        assertTrue(store.pages().byIds(List.of()).isEmpty());
    }

    @Test
    void pagesWalkEveryVolumeOnce_oldestFirst_withFilters() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("v%02d", i);
            volumes.create(new VolumeSpec(name, "gold", G, i % 5 == 0 ? "acme" : "admin", StorageQos.NONE));
            all.add(name);
        }
        volumes.attach("v03", "vm1", null);
        volumes.delete("v24");

        List<String> walked = new ArrayList<>();
        VolumeQuery q = new VolumeQuery(10, null, null, null, null, false);
        List<Volume> page;
        int pages = 0;
        do {
            page = volumes.list(q);
            pages++;
            walked.addAll(names(page));
            if (!page.isEmpty()) {
                q = q.after(page.get(page.size() - 1));
            }
        } while (page.size() == 10);
        assertEquals(all.subList(0, 24), walked, "every live volume once, oldest first");
        assertEquals(3, pages);

        assertEquals(List.of("v00", "v05", "v10", "v15", "v20"), names(volumes.list(new VolumeQuery(100, null, null, null, "acme", false))));
        assertEquals(List.of("v03"), names(volumes.list(new VolumeQuery(100, null, VolumeState.ATTACHED, null, null, false))));
        assertEquals(List.of("v24"), names(volumes.list(new VolumeQuery(100, null, VolumeState.DESTROYED, null, null, false))));
        assertEquals(25, volumes.list(new VolumeQuery(100, null, null, "sf1", null, true)).size());
        assertTrue(volumes.list(new VolumeQuery(100, null, null, "nope", null, true)).isEmpty());
        assertEquals(List.of("v21", "v22", "v23"), names(volumes.list(new VolumeQuery(5, "v20", null, null, null, false))),
                "after a name");
    }

    @Test
    void badPagesNameTheField() {
        assertEquals("limit", assertThrows(StorageException.class, () -> new VolumeQuery(0, null, null, null, null, false)).field());
        assertEquals("limit", assertThrows(StorageException.class,
                () -> new VolumeQuery(VolumeQuery.MAX_LIMIT + 1, null, null, null, null, false)).field());
        StorageException after = assertThrows(StorageException.class, () -> volumes.list(new VolumeQuery(5, "ghost", null, null, null, false)));
        assertEquals("after", after.field());
        assertTrue(after.getMessage().contains("ghost"));
    }

    @Test
    void listingPools_costsNoSanCall_onceTheCapacityIsKnown() {
        RuntimeService runtime = new RuntimeService(store, pools, attachers);
        runtime.pools(); // a pool never read before is read once
        create("v1");
        san.capacityCalls.set(0);
        for (int i = 0; i < 5; i++) {
            runtime.pools();
            runtime.pool("sf1");
        }
        assertEquals(0, san.capacityCalls.get(), "listings read the stored capacity");
        volumes.reconcile();
        assertEquals(1, san.capacityCalls.get(), "a reconciliation pass refreshes it");
    }

    @Test
    void aServiceThatCannotServeNow_isListedUnavailable_withTheReason() {
        rejections.unavailable(RejectionReporter.Kind.ATTACH_SERVICE, "kvm.h9", "org.spindle.hyper.kvm", "kvm",
                "KVM host h9 did not answer since 10:00 (keepalive)");
        AttachServiceInfo info = attachers.infos().stream().filter(i -> "kvm.h9".equals(i.source())).findFirst().orElseThrow();
        assertEquals(ServiceStatus.UNAVAILABLE, info.status());
        assertTrue(info.reason().contains("keepalive"));
        rejections.cleared("kvm.h9");
        assertTrue(attachers.infos().stream().noneMatch(i -> "kvm.h9".equals(i.source())));
    }

    @Test
    void whatAServiceFoundChangedOutsideSpindle_isInItsInfo() {
        java.util.Map<String, Object> props = attachProps("h7", "iscsi", ALL_LIMITS);
        props.put("hypervisor.drift", new String[] {"0b7e… disk detached outside Spindle from vm web1"});
        attachers.add(7, "test.attach", new FakeHypervisor("h7", "vm7"), props);
        AttachServiceInfo info = attachers.infos().stream().filter(i -> "h7".equals(i.service())).findFirst().orElseThrow();
        assertEquals(List.of("0b7e… disk detached outside Spindle from vm web1"), info.drift());
    }
}
