package org.spindle.itest.attach.probe;

import org.spindle.storage.api.attach.Attachment;

/** One {@code grow} call, as received (also when it was refused). */
public record GrowCall(Attachment attachment, long newSizeBytes) {
}
