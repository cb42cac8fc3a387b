package org.spindle.storage.core.internal.volume;

import static org.spindle.storage.core.internal.volume.Core.ref;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.storage.api.qos.AppliedQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosEvents;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.QosAuditReport;
import org.spindle.storage.api.runtime.QosFinding;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;
import org.spindle.storage.core.internal.qos.QosCompare;
import org.spindle.storage.core.internal.registry.BoundAttach;
import org.spindle.storage.core.internal.registry.BoundPool;

/**
 * The QoS audit: reads back both sides of every ready or attached volume — one {@code listVolumes} per pool
 * (one {@code findVolume} for a single volume) and one {@code limits} per attached disk — compares them with the
 * plan ({@link QosCompare}), records what each side applies and where it drifted, posts
 * {@link QosEvents#DRIFT} when a volume's drift changes, and, when healing, applies the plan again in state
 * CHANGING_QOS (fenced and recoverable like a user's change) and reads it back. A volume whose row changed
 * meanwhile is left to the next pass. Passes on one node never overlap.
 */
final class QosAuditor {
    private static final Logger LOG = LoggerFactory.getLogger(QosAuditor.class);
    private static final int PAGE = 1_000;

    private final Core core;
    private final Events events;
    private final ReentrantLock running = new ReentrantLock();

    QosAuditor(Core core, Events events) {
        this.core = core;
        this.events = events;
    }

    /** What one pass costs and found, as it goes. */
    private static final class Pass {
        int volumes;
        int storageReads;
        int hypervisorReads;
        final List<QosFinding> findings = new ArrayList<>();
        final Set<String> deferred = new LinkedHashSet<>();
        final Map<String, Map<UUID, SanVolume>> listings = new HashMap<>();
    }

    /** Audits {@code volume} (name or id), or every ready or attached volume when {@code null}. */
    QosAuditReport audit(String volume, boolean heal, long minMillisPerHypervisorRead) {
        running.lock();
        try {
            Pass pass = new Pass();
            if (volume != null) {
                VolumeRecord v = core.tx().load(volume);
                Transitions.require(v, "audit the QoS of", VolumeState.READY, VolumeState.ATTACHED);
                check(v, pass, heal, true, 0);
            } else {
                for (VolumeState state : List.of(VolumeState.READY, VolumeState.ATTACHED)) {
                    core.store().pages().each(new VolumeQuery(PAGE, null, state, null, null, false),
                            v -> check(v, pass, heal, false, minMillisPerHypervisorRead));
                }
            }
            return new QosAuditReport(Instant.now(), pass.volumes, pass.storageReads, pass.hypervisorReads, pass.findings,
                    List.copyOf(pass.deferred));
        } finally {
            running.unlock();
        }
    }

    private void check(VolumeRecord v, Pass pass, boolean heal, boolean single, long pauseMillis) {
        pass.volumes++;
        QosPlan plan = v.volume().plan();
        AppliedQos was = v.volume().applied();
        List<QosDrift> drift = new ArrayList<>();
        StorageQos storage = was.storage();
        IoLimits limits = v.state() == VolumeState.ATTACHED ? was.hypervisor() : IoLimits.NONE;
        Optional<BoundPool> pool = core.pools().pool(v.volume().pool());
        if (pool.isEmpty()) {
            pass.deferred.add("pool " + v.volume().pool() + ": its driver is not running");
        } else if (pool.get().managed() && v.sanId() != null) {
            Optional<SanVolume> san = readStorage(v, pool.get(), pass, single);
            if (san.isPresent()) {
                storage = san.get().qos();
                drift.addAll(QosCompare.storage(plan.storage(), storage));
            }
        }
        if (v.state() == VolumeState.ATTACHED) {
            Optional<IoLimits> read = readLimits(v, pass, pauseMillis);
            if (read.isPresent()) {
                limits = read.get();
                drift.addAll(QosCompare.hypervisor(plan.hypervisor(), limits));
            }
        }
        StorageQos storageNow = storage;
        IoLimits limitsNow = limits;
        try {
            if (drift.isEmpty()) {
                if (!v.volume().drift().isEmpty() || !storageNow.equals(was.storage()) || !limitsNow.equals(was.hypervisor())) {
                    core.tx().save(v, c -> c.storageApplied(storageNow).hypervisorApplied(limitsNow).drift(List.of()));
                }
                return;
            }
            if (!drift.equals(v.volume().drift())) {
                LOG.warn("Volume {}: QoS drifted from its plan: {}", v.name(), drift);
            }
            VolumeRecord marked = core.tx().save(v, c -> c.storageApplied(storageNow).hypervisorApplied(limitsNow).drift(drift));
            if (!drift.equals(v.volume().drift())) {
                events.qos(QosEvents.DRIFT, marked.volume(), drift);
            }
            pass.findings.add(heal ? heal(marked, drift, pool.get()) : new QosFinding(v.id(), v.name(), drift, false, null));
        } catch (StorageException e) {
            if (e.reason() != Reason.BUSY) {
                throw e;
            }
            pass.deferred.add("volume " + v.name() + ": changed while it was audited; the next pass looks again");
        }
    }

    private Optional<SanVolume> readStorage(VolumeRecord v, BoundPool pool, Pass pass, boolean single) {
        String name = pool.record().name();
        try {
            if (single) {
                pass.storageReads++;
                Optional<SanVolume> san = pool.driver().findVolume(v.id());
                if (san.isEmpty()) {
                    pass.deferred.add("volume " + v.name() + ": pool " + name + " has no SAN volume for it (the reconciliation looks into it)");
                }
                return san;
            }
            Map<UUID, SanVolume> listing = pass.listings.get(name);
            if (listing == null) {
                pass.storageReads++;
                listing = new HashMap<>();
                for (SanVolume s : pool.driver().listVolumes()) {
                    listing.put(s.volumeId(), s);
                }
                pass.listings.put(name, listing);
            }
            SanVolume san = listing.get(v.id());
            if (san == null) {
                pass.deferred.add("volume " + v.name() + ": pool " + name + " has no SAN volume for it (the reconciliation looks into it)");
            }
            return Optional.ofNullable(san);
        } catch (RuntimeException e) {
            pass.listings.put(name, Map.of());
            pass.deferred.add("pool " + name + ": reading its volumes failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<IoLimits> readLimits(VolumeRecord v, Pass pass, long pauseMillis) {
        Optional<BoundAttach> service = core.attachers().byIdentity(v.attachment().service());
        if (service.isEmpty()) {
            pass.deferred.add("attach service " + v.attachment().service() + ": not running");
            return Optional.empty();
        }
        pause(pauseMillis);
        try {
            pass.hypervisorReads++;
            return Optional.of(service.get().service().limits(v.attachment().spi(v.id())));
        } catch (UnsupportedOperationException e) {
            pass.hypervisorReads--;
            pass.deferred.add("attach service " + service.get().identity() + ": cannot read a disk's limits back, its side is not audited");
            return Optional.empty();
        } catch (RuntimeException e) {
            pass.deferred.add("volume " + v.name() + ": reading its limits from " + service.get().identity() + " failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Applies the plan again where it drifted, reads it back, and records what the sides apply now. */
    private QosFinding heal(VolumeRecord v, List<QosDrift> drift, BoundPool pool) {
        boolean storage = drift.stream().anyMatch(d -> d.side() == QosSide.STORAGE);
        boolean hypervisor = drift.stream().anyMatch(d -> d.side() == QosSide.HYPERVISOR);
        QosPlan plan = v.volume().plan();
        VolumeState back = v.state();
        BoundAttach service = hypervisor ? core.serviceOf(v) : null;
        try {
            VolumeRecord healed = core.tx().run(v, "healing the QoS of " + v.name(), VolumeState.CHANGING_QOS, c -> c, changing -> {
                StorageQos s = changing.volume().applied().storage();
                IoLimits l = changing.volume().applied().hypervisor();
                if (storage) {
                    pool.driver().modifyQos(ref(changing), plan.storage());
                    s = Readback.storage(pool, changing, plan.storage());
                }
                if (hypervisor) {
                    Attachment a = changing.attachment().spi(changing.id());
                    service.service().changeLimits(a, plan.hypervisor());
                    l = Readback.limits(service, a, plan.hypervisor());
                }
                return new AppliedQos(s, l, null);
            }, (c, applied) -> c.state(back).storageApplied(applied.storage()).hypervisorApplied(applied.hypervisor())
                    .drift(remaining(plan, applied, back)), (c, e) -> c.state(back).drift(drift));
            List<QosDrift> left = healed.volume().drift();
            if (!left.isEmpty()) {
                return new QosFinding(v.id(), v.name(), drift, false, "applied again, but read back still differing: " + left);
            }
            events.qos(QosEvents.HEALED, healed.volume(), drift);
            LOG.info("Volume {}: QoS healed ({} value(s) applied again and read back in line)", v.name(), drift.size());
            return new QosFinding(v.id(), v.name(), drift, true, null);
        } catch (RuntimeException e) {
            LOG.warn("Volume {}: healing its QoS failed: {}", v.name(), e.getMessage());
            return new QosFinding(v.id(), v.name(), drift, false, e.getMessage());
        }
    }

    private static List<QosDrift> remaining(QosPlan plan, AppliedQos applied, VolumeState state) {
        List<QosDrift> left = new ArrayList<>(QosCompare.storage(plan.storage(), applied.storage()));
        if (state == VolumeState.ATTACHED) {
            left.addAll(QosCompare.hypervisor(plan.hypervisor(), applied.hypervisor()));
        }
        return left;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
