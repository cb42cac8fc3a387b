package org.spindle.solidfire.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux loop devices between a volume's backing file and tgt, so that the kernel counts the volume's I/O: tgt serves
 * the loop device with {@code O_DIRECT} ({@code --bsoflags direct}), so every SCSI READ and WRITE an initiator sends
 * reaches the device as block requests, and {@code /sys/block/loopN/stat} counts them (requests completed, 512-byte
 * sectors, milliseconds spent) per volume. These counters are what the simulator reports as a volume's I/O: measured,
 * never made up. Runs {@code losetup} (util-linux) without a shell.
 */
final class LoopDevices {
    private static final long SECTOR = 512;

    /**
     * Block-layer counters of one device: cumulative since it was set up (requests completed, bytes, milliseconds
     * spent), and the requests in flight at the moment of reading.
     */
    record Counters(long readOps, long readBytes, long readMillis, long writeOps, long writeBytes, long writeMillis,
                    long inFlight) {
        static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0);

        /** Both together (in flight: as now). */
        Counters plus(Counters o) {
            return new Counters(readOps + o.readOps, readBytes + o.readBytes, readMillis + o.readMillis, writeOps + o.writeOps,
                    writeBytes + o.writeBytes, writeMillis + o.writeMillis, inFlight);
        }

        /** What happened between {@code earlier} and this reading (in flight: as now). */
        Counters since(Counters earlier) {
            return new Counters(readOps - earlier.readOps, readBytes - earlier.readBytes, readMillis - earlier.readMillis,
                    writeOps - earlier.writeOps, writeBytes - earlier.writeBytes, writeMillis - earlier.writeMillis, inFlight);
        }
    }

    /** Thrown when losetup fails or the kernel's counters cannot be read. */
    static final class LoopException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoopException(String message) {
            super(message, null, false, false);
        }
    }

    private final String losetup;

    LoopDevices(String losetup) {
        this.losetup = losetup;
    }

    /** The loop device backed by {@code file}: one that already is (a leftover of an earlier run), or a new one. */
    String attach(Path file) {
        String existing = run("-j", file.toString()).strip();
        if (!existing.isEmpty()) {
            return existing.substring(0, existing.indexOf(':'));
        }
        return run("-f", "--show", file.toString()).strip();
    }

    /** Makes the device take the backing file's new size ({@code losetup -c}). */
    void refresh(String device) {
        run("-c", device);
    }

    /** Detaches the device; one that is already gone is fine. */
    void detach(String device) {
        if (Files.exists(sys(device))) {
            run("-d", device);
        }
    }

    /** The device's counters from {@code /sys/block/NAME/stat} (the kernel's Documentation/block/stat fields). */
    Counters counters(String device) {
        String[] f;
        try {
            f = Files.readString(sys(device).resolve("stat"), StandardCharsets.US_ASCII).strip().split("\\s+");
        } catch (IOException e) {
            throw new LoopException("cannot read the I/O counters of " + device + ": " + e.getMessage());
        }
        // read I/Os, read merges, read sectors, read ticks, write I/Os, write merges, write sectors, write ticks, in flight, …
        return new Counters(Long.parseLong(f[0]), Long.parseLong(f[2]) * SECTOR, Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[6]) * SECTOR, Long.parseLong(f[7]), Long.parseLong(f[8]));
    }

    private static Path sys(String device) {
        return Path.of("/sys/block", Path.of(device).getFileName().toString());
    }

    private String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(losetup);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LoopException(String.join(" ", cmd) + " did not finish within 30 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new LoopException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new LoopException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoopException("interrupted: " + String.join(" ", cmd));
        }
    }
}
