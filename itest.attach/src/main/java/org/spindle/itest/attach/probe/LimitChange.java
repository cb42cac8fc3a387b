package org.spindle.itest.attach.probe;

import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

/** One {@code changeLimits} call. */
public record LimitChange(Attachment attachment, IoLimits limits) {
}
