package org.spindle.storage.core.internal.volume;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(pid = ReconcileConfig.PID, name = "Spindle reconciliation",
        description = "How the core keeps the database, the SANs and the hypervisors in agreement: interrupted operations "
                + "are recovered and orphans found at start and then periodically.")
public @interface ReconcileConfig {
    String PID = "org.spindle.storage.reconcile";

    @AttributeDefinition(name = "Interval (seconds)", description = "Time between two passes; 0 runs one at start and then only "
            + "on demand (storage:reconcile).")
    int interval_seconds() default 30;

    @AttributeDefinition(name = "Orphan grace period (seconds)", description = "How long an orphan is only reported before it is "
            + "removed (counted from the first pass of any node that saw it).")
    int orphan_grace_seconds() default 3600;

    @AttributeDefinition(name = "Remove orphans", description = "Remove orphans once their grace period has passed; false only "
            + "reports them.")
    boolean orphan_remove() default true;
}
