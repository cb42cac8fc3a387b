package org.spindle.storage.core.internal.db;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.volume.VolumeQuery;

/**
 * Pages of volumes, oldest first by {@code (created, id)}: a keyset page reads only its own rows from the
 * {@code volume_page} index (or the filter's own), so a page deep in a large zone costs what the first one
 * does.
 */
public final class VolumePages {
    private final Jdbc jdbc;
    private final JdbcStore store;

    VolumePages(Jdbc jdbc, JdbcStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /** One page; {@code query.after()} names the previous page's last volume (name or id). */
    public List<VolumeRecord> page(VolumeQuery query) {
        Optional<VolumeRecord> anchor = Optional.empty();
        if (query.after() != null) {
            anchor = anchor(query.after());
            if (anchor.isEmpty()) {
                throw StorageException.invalid("after", "must name a volume (the last one of the previous page), found none named "
                        + query.after());
            }
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM volume WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (query.state() != null) {
            sql.append(" AND state=?");
            args.add(query.state().name());
        }
        if (!query.includeDestroyed() && query.state() == null) {
            sql.append(" AND live_name IS NOT NULL");
        }
        if (query.pool() != null) {
            sql.append(" AND pool=?");
            args.add(query.pool());
        }
        if (query.tenant() != null) {
            sql.append(" AND tenant=?");
            args.add(query.tenant());
        }
        if (anchor.isPresent()) {
            Timestamp created = Timestamp.from(anchor.get().volume().created());
            // "created >= ?" first: an index on (…, created, id) starts at the anchor instead of at the oldest volume
            sql.append(" AND created >= ? AND (created > ? OR id > ?)");
            args.add(created);
            args.add(created);
            args.add(anchor.get().volume().id().toString());
        }
        sql.append(" ORDER BY created, id LIMIT ?");
        args.add(query.limit());
        return jdbc.query(sql.toString(), st -> {
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
        }, VolumeColumns::read);
    }

    private Optional<VolumeRecord> anchor(String after) {
        return store.volume(after);
    }

    /** Every volume {@code first} selects, page after page from the start, one page held at a time. */
    public void each(VolumeQuery first, java.util.function.Consumer<VolumeRecord> action) {
        VolumeQuery q = first;
        List<VolumeRecord> page;
        do {
            page = page(q);
            page.forEach(action);
            if (!page.isEmpty()) {
                q = q.after(page.get(page.size() - 1).volume());
            }
        } while (page.size() == q.limit());
    }
}
