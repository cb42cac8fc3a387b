/**
 * What operators and embedding platforms call: {@link org.spindle.storage.api.volume.VolumeService} and
 * {@link org.spindle.storage.api.volume.OfferingService}, both provided by the Spindle core, and the
 * EventAdmin topics under {@value org.spindle.storage.api.volume.VolumeEvents#TOPIC_PREFIX}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.spindle.storage.api.volume;
