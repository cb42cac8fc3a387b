package org.spindle.itest;

/**
 * What one shell command did: its output (ANSI colours removed) and, if it failed, the message of the exception
 * it threw ({@code null} when it succeeded).
 */
public record CommandResult(String command, String output, String error) {
    public boolean failed() {
        return error != null;
    }

    @Override
    public String toString() {
        return "$ " + command + "\n" + output + (error == null ? "" : "\n[failed] " + error);
    }
}
