package org.spindle.storage.core.internal.db;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.volume.VolumeQuery;

/**
 * Reads of many volumes. Pages, oldest first by {@code (created, id)}: a keyset page reads only its own rows from the
 * {@code volume_page} index (or the filter's own), so a page deep in a large zone costs what the first one
 * does. And the rows of a list of ids ({@link #byIds}), what a reconciliation pass matches a SAN's listing against.
 */
public final class VolumePages {
    /** Ids a query of {@link #byIds} asks for at once. */
    static final int BY_IDS = 500;

    private final Jdbc jdbc;
    private final JdbcStore store;

    VolumePages(Jdbc jdbc, JdbcStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /**
     * The rows of {@code ids} that this database has, destroyed ones included, by id: one query per {@value #BY_IDS} ids
     * (a short last chunk repeats an id, so every query has the same text and stays parsed).
     */
    public java.util.Map<java.util.UUID, VolumeRecord> byIds(java.util.Collection<java.util.UUID> ids) {
        List<java.util.UUID> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        java.util.Map<java.util.UUID, VolumeRecord> found = new java.util.HashMap<>();
        String sql = "SELECT * FROM volume WHERE id IN (" + "?,".repeat(BY_IDS - 1) + "?)";
        for (int from = 0; from < all.size(); from += BY_IDS) {
            List<java.util.UUID> chunk = all.subList(from, Math.min(all.size(), from + BY_IDS));
            jdbc.query(sql, st -> {
                for (int i = 0; i < BY_IDS; i++) {
                    st.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)).toString());
                }
            }, VolumeColumns::read).forEach(v -> found.put(v.id(), v));
        }
        return found;
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
