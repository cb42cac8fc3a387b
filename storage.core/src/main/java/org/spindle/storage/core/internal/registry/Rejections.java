package org.spindle.storage.core.internal.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.storage.api.runtime.ServiceStatus;

/** Configurations that drivers and attach services refused, or that cannot serve now, as they reported them. */
@Component(service = {RejectionReporter.class, Rejections.class})
public class Rejections implements RejectionReporter {
    /** One report. */
    public record Report(Kind kind, String pid, String bundle, String type, String reason, ServiceStatus status) {
    }

    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    @Override
    public void rejected(Kind kind, String pid, String bundle, String type, String reason) {
        reports.put(pid, new Report(kind, pid, bundle, type, reason, ServiceStatus.REJECTED));
    }

    @Override
    public void unavailable(Kind kind, String pid, String bundle, String type, String reason) {
        reports.put(pid, new Report(kind, pid, bundle, type, reason, ServiceStatus.UNAVAILABLE));
    }

    @Override
    public void cleared(String pid) {
        reports.remove(pid);
    }

    public List<Report> reports(Kind kind) {
        return reports.values().stream().filter(r -> r.kind() == kind).sorted(java.util.Comparator.comparing(Report::pid)).toList();
    }
}
