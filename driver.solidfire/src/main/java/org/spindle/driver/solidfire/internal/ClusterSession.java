package org.spindle.driver.solidfire.internal;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.ElementApi;
import org.spindle.driver.solidfire.internal.element.ElementClient;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.RetryPolicy;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.Portal;

/**
 * A cluster as the driver talks to it: discovery ({@code GetAPI} at 7.0 unless the version is pinned,
 * {@code GetClusterInfo}, {@code GetDefaultQoS}, {@code GetLimits}) happens once, the first time something needs it, and
 * is retried by the next call while the cluster does not answer. Listeners hear of the first success.
 */
final class ClusterSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSession.class);

    private final ClusterSettings settings;
    private final ElementClient client;
    private final Consumer<ClusterFacts> onDiscovered;
    private volatile ClusterFacts facts;
    private volatile ElementApi api;

    ClusterSession(ClusterSettings settings, ElementClient client, Consumer<ClusterFacts> onDiscovered) {
        this.settings = settings;
        this.client = client;
        this.onDiscovered = onDiscovered;
    }

    /** The facts, discovering them (with retries) if not known yet. */
    ClusterFacts facts() {
        ClusterFacts f = facts;
        return f != null ? f : discover(client);
    }

    /** The typed API at the discovered version. */
    ElementApi api() {
        facts();
        return api;
    }

    /** Discovery with a single attempt per call: at activation, to learn quickly whether the cluster answers. */
    ClusterFacts probe() {
        ClusterFacts f = facts;
        return f != null ? f : discover(client.withRetry(RetryPolicy.NONE));
    }

    /** Facts if discovery succeeded, else null. */
    ClusterFacts known() {
        return facts;
    }

    ElementClient client() {
        return client;
    }

    /** GetLimits, or the limits of the version when the cluster does not have it. */
    private static ClusterLimits limits(ElementApi api, ApiVersion version) {
        try {
            return ClusterLimits.of(version, api.getLimits());
        } catch (ElementException e) {
            if (!e.is("xUnknownAPIMethod")) {
                throw e;
            }
            LOG.info("SolidFire cluster answers no GetLimits at API {}: using that version's limits", version);
            return ClusterLimits.of(version);
        }
    }

    private ClusterFacts discover(ElementClient using) {
        ClusterFacts f;
        synchronized (this) {
            if (facts != null) {
                return facts;
            }
            ApiVersion version = settings.apiVersion().orElse(null);
            if (version == null) {
                version = ElementApi.currentVersion(using);
            }
            ElementApi probing = new ElementApi(using, version);
            Wire.ClusterInfo info = probing.getClusterInfo();
            Wire.Qos defaults = probing.getDefaultQoS();
            if (settings.svip().isEmpty() && info.svip().isBlank()) {
                throw new ElementException("GetClusterInfo", "xNoSVIP", 0,
                        "the cluster reports no SVIP; configure svip");
            }
            Portal portal = settings.svip().map(svip -> Portal.parse(svip, Portal.ISCSI_PORT))
                    .orElseGet(() -> ClusterSettings.portal(info.svip()));
            f = new ClusterFacts(version, info.name(), info.uniqueID(), portal, defaults, limits(probing, version));
            api = new ElementApi(client, version);
            facts = f;
        }
        LOG.info("SolidFire cluster {} at {}: Element API {}, iSCSI portal {}", f.clusterName(), settings.mvip(),
                f.version(), f.portal());
        onDiscovered.accept(f);
        return f;
    }
}
