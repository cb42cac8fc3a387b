package org.spindle.test.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * The core's {@link RejectionReporter} as a bundle's test sees it: every configuration refused, a line each,
 * {@code KIND bundle type: reason} (clearances are not kept).
 */
public final class Rejections implements RejectionReporter {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void rejected(Kind kind, String pid, String bundle, String type, String reason) {
        lines.add(kind + " " + bundle + " " + type + ": " + reason);
    }

    @Override
    public void cleared(String pid) {
    }

    /** What was reported so far, oldest first; the list grows as reports come. */
    public List<String> lines() {
        return lines;
    }

    /** Registers this reporter in {@code ctx}, where the bundles under test find it as the core's. */
    public void registerIn(BundleContext ctx) {
        ctx.registerService(RejectionReporter.class, this, null);
    }
}
