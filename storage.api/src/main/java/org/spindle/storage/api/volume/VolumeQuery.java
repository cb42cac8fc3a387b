package org.spindle.storage.api.volume;

/**
 * One page of {@link VolumeService#list(VolumeQuery)}: volumes oldest first, filtered. Every filter is
 * optional ({@code null}).
 *
 * @param limit            at most this many volumes, 1 to {@value #MAX_LIMIT}
 * @param after            the name or id of the last volume of the previous page; the page starts after it
 * @param state            only volumes in this state
 * @param pool             only volumes in this pool
 * @param tenant           only this tenant's volumes
 * @param includeDestroyed whether destroyed volumes are listed (never when {@code state} says otherwise)
 * @since 1.1
 */
public record VolumeQuery(int limit, String after, VolumeState state, String pool, String tenant,
                          boolean includeDestroyed) {
    /** The largest page. */
    public static final int MAX_LIMIT = 10_000;
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 1_000;

    public VolumeQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw org.spindle.storage.api.StorageException.invalid("limit",
                    "must be 1 to " + MAX_LIMIT + " (was " + limit + ")");
        }
    }

    /** The first page of every live volume, {@link #DEFAULT_LIMIT} at a time. */
    public static VolumeQuery firstPage() {
        return new VolumeQuery(DEFAULT_LIMIT, null, null, null, null, false);
    }

    /** The page after {@code last}. */
    public VolumeQuery after(Volume last) {
        return new VolumeQuery(limit, last.id().toString(), state, pool, tenant, includeDestroyed);
    }
}
