package org.spindle.storage.core.internal.volume;

/**
 * Stands for the process dying in the middle of an operation: an {@link Error}, so the core's failure handling
 * (which catches runtime exceptions) records nothing, and the row stays as a kill would leave it.
 */
final class Crash extends Error {
    Crash(String where) {
        super("crash " + where);
    }
}
