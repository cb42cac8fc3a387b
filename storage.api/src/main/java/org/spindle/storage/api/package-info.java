/**
 * Values shared by every Spindle contract, the service API and both SPIs alike: storage targets and their
 * portals, CHAP credentials, secrets, I/O counters, pool capacity, and the one exception type,
 * {@link org.spindle.storage.api.StorageException}, whose {@code reason} and {@code field} tell a caller
 * what went wrong without parsing messages.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.spindle.storage.api;
