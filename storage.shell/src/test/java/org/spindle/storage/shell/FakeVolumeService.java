package org.spindle.storage.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

/** Records every call; answers from the volumes it was given. */
class FakeVolumeService implements VolumeService {
    final List<String> calls = new ArrayList<>();
    final Map<String, Volume> volumes = new LinkedHashMap<>();
    VolumeSpec created;
    QosSpec qos;
    String attachHost;
    long resizedTo;
    Boolean listedDestroyed;
    IoStats stats;
    final List<VolumeQuery> queries = new ArrayList<>();
    /** Run at each page request, before it is answered. */
    Runnable onPage;
    /** Thrown once by the next resize or page, after the call is recorded. */
    StorageException failure;

    FakeVolumeService with(Volume... vs) {
        for (Volume v : vs) {
            volumes.put(v.name(), v);
        }
        return this;
    }

    /** The calls that change something. */
    List<String> writes() {
        return calls.stream().filter(c -> !c.startsWith("get") && !c.startsWith("list") && !c.startsWith("stats"))
                .toList();
    }

    @Override
    public Volume create(VolumeSpec spec) {
        calls.add("create " + spec.name());
        created = spec;
        return Samples.volume(spec.name(), VolumeState.ALLOCATED);
    }

    @Override
    public Volume attach(String volume, String vm, String host) {
        calls.add("attach " + volume + " " + vm);
        attachHost = host;
        return find(volume);
    }

    @Override
    public Volume detach(String volume) {
        calls.add("detach " + volume);
        return find(volume);
    }

    @Override
    public Volume resize(String volume, long newSizeBytes) {
        calls.add("resize " + volume);
        failIfAsked();
        resizedTo = newSizeBytes;
        return find(volume);
    }

    @Override
    public Volume changeQos(String volume, QosSpec qos) {
        calls.add("changeQos " + volume);
        this.qos = qos;
        return find(volume);
    }

    @Override
    public Volume delete(String volume) {
        calls.add("delete " + volume);
        return find(volume);
    }

    @Override
    public Optional<Volume> get(String volume) {
        calls.add("get " + volume);
        return Optional.ofNullable(volumes.get(volume));
    }

    @Override
    public List<Volume> list(boolean includeDestroyed) {
        calls.add("list");
        listedDestroyed = includeDestroyed;
        return volumes.values().stream().filter(v -> includeDestroyed || v.state() != VolumeState.DESTROYED).toList();
    }

    /** Serves pages as the core does: insertion order stands for (created, id); {@code after} is a name or an id. */
    @Override
    public List<Volume> list(VolumeQuery query) {
        calls.add("page");
        queries.add(query);
        if (onPage != null) {
            onPage.run();
        }
        failIfAsked();
        List<Volume> all = new ArrayList<>(volumes.values());
        int from = 0;
        if (query.after() != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                Volume v = all.get(i);
                if (v.name().equals(query.after()) || v.id().toString().equals(query.after())) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw new StorageException(StorageException.Reason.NOT_FOUND, "after", "after: no volume " + query.after(), null);
            }
        }
        return all.subList(from, all.size()).stream()
                .filter(v -> query.includeDestroyed() || v.state() != VolumeState.DESTROYED)
                .filter(v -> query.state() == null || v.state() == query.state())
                .filter(v -> query.pool() == null || query.pool().equals(v.pool()))
                .filter(v -> query.tenant() == null || query.tenant().equals(v.tenant()))
                .limit(query.limit()).toList();
    }

    @Override
    public IoStats stats(String volume) {
        calls.add("stats " + volume);
        find(volume);
        return stats;
    }

    private void failIfAsked() {
        StorageException f = failure;
        failure = null;
        if (f != null) {
            throw f;
        }
    }

    private Volume find(String volume) {
        Volume v = volumes.get(volume);
        if (v == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "volume " + volume + " not found");
        }
        return v;
    }
}
