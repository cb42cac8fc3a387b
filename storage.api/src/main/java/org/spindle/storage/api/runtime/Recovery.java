package org.spindle.storage.api.runtime;

import java.util.UUID;

import org.spindle.storage.api.volume.VolumeState;

/**
 * An operation a crash or a lost node left in flight, and how it ended.
 *
 * @param volumeId    the volume
 * @param volume      its name
 * @param interrupted the state it was left in (ATTACHING, CREATING, …)
 * @param outcome     the state it is in now
 * @param how         what was found and done, e.g. "the disk is on vm1: rolled forward"
 * @since 1.1
 */
public record Recovery(UUID volumeId, String volume, VolumeState interrupted, VolumeState outcome, String how) {
}
