package org.spindle.itest.attach.probe;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;

/**
 * One {@code detach} call, as received (also when it was refused, and for disks that were not attached).
 *
 * @param attachment the attachment the core passed
 * @param target     the target the core passed (the core passes it without CHAP credentials)
 */
public record DetachCall(Attachment attachment, Target target) {
}
