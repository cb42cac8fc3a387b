package org.spindle.itest.attach.probe;

import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

/** One {@code changeLimits} call, as received (also when it was refused). */
public record LimitChange(Attachment attachment, IoLimits limits) {
}
