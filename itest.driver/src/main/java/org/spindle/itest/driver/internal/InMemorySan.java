package org.spindle.itest.driver.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;

import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

/**
 * The SAN's state: volumes keyed by Spindle volume UUID, each with its QoS, CHAP secret and the host groups
 * granted access (name and initiators), saved to a properties file after every change (and loaded at start)
 * so it outlives a restart.
 * Not thread-safe by itself: the driver synchronizes on it.
 */
final class InMemorySan {
    /** A volume, with the CHAP secret the SAN made for it. */
    record Vol(SanVolumeState state, String chapSecret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Map<UUID, Vol> volumes = new LinkedHashMap<>();
    private long nextSanId = 1;
    /** What the volumes hold together (kept as they change: the capacity a SAN reports is not a scan of its volumes). */
    private long provisionedBytes;
    private long provisionedIops;

    InMemorySan(Path file) {
        this.file = file;
        load();
    }

    List<Vol> all() {
        return List.copyOf(volumes.values());
    }

    long provisionedBytes() {
        return provisionedBytes;
    }

    long provisionedIops() {
        return provisionedIops;
    }

    Vol get(UUID volumeId) {
        return volumes.get(volumeId);
    }

    Vol require(UUID volumeId) {
        Vol v = volumes.get(volumeId);
        if (v == null) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "volume",
                    "test SAN has no volume for " + volumeId, null);
        }
        return v;
    }

    String newSanId() {
        return Long.toString(nextSanId++);
    }

    /** The device id a SAN would report for the LUN of {@code volumeId}: an NAA 6 identifier made from it. */
    static String deviceId(UUID volumeId) {
        return "naa.6" + volumeId.toString().replace("-", "").substring(1);
    }

    static String newSecret() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    void put(Vol v) {
        count(volumes.put(v.state().volumeId(), v), -1);
        count(v, 1);
        save();
    }

    void remove(UUID volumeId) {
        Vol gone = volumes.remove(volumeId);
        if (gone != null) {
            count(gone, -1);
            save();
        }
    }

    void clear() {
        volumes.clear();
        provisionedBytes = 0;
        provisionedIops = 0;
        save();
    }

    private void count(Vol v, int sign) {
        if (v != null) {
            provisionedBytes += sign * v.state().sizeBytes();
            provisionedIops += sign * v.state().qos().minIops();
        }
    }

    private void load() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        nextSanId = Long.parseLong(p.getProperty("next.san.id", "1"));
        for (String id : new TreeSet<>(List.of(p.getProperty("volumes", "").split(",")))) {
            if (id.isBlank()) {
                continue;
            }
            String k = "v." + id + ".";
            Map<String, List<String>> groups = new LinkedHashMap<>();
            int count = Integer.parseInt(p.getProperty(k + "groups", "0"));
            for (int g = 0; g < count; g++) {
                groups.put(p.getProperty(k + "group." + g + ".name"),
                        words(p.getProperty(k + "group." + g + ".initiators", "")));
            }
            UUID volumeId = UUID.fromString(id);
            SanVolumeState s = new SanVolumeState(volumeId, p.getProperty(k + "san.id"), p.getProperty(k + "name"),
                    p.getProperty(k + "tenant"), Long.parseLong(p.getProperty(k + "size")),
                    new StorageQos(Long.parseLong(p.getProperty(k + "min")), Long.parseLong(p.getProperty(k + "max")),
                            Long.parseLong(p.getProperty(k + "burst"))),
                    p.getProperty(k + "iqn"), deviceId(volumeId), groups);
            volumes.put(s.volumeId(), new Vol(s, p.getProperty(k + "chap")));
        }
        // keep creation order: sort by the numeric SAN id
        List<Vol> sorted = new ArrayList<>(volumes.values());
        sorted.sort((a, b) -> Long.compare(Long.parseLong(a.state().sanId()), Long.parseLong(b.state().sanId())));
        volumes.clear();
        sorted.forEach(v -> {
            volumes.put(v.state().volumeId(), v);
            count(v, 1);
        });
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.split(" ")) {
            if (!w.isBlank()) {
                words.add(w);
            }
        }
        return words;
    }

    private void save() {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("next.san.id", Long.toString(nextSanId));
        List<String> ids = new ArrayList<>();
        for (Vol v : volumes.values()) {
            SanVolumeState s = v.state();
            String id = s.volumeId().toString();
            ids.add(id);
            String k = "v." + id + ".";
            p.setProperty(k + "san.id", s.sanId());
            p.setProperty(k + "name", s.name());
            p.setProperty(k + "tenant", s.tenant());
            p.setProperty(k + "size", Long.toString(s.sizeBytes()));
            p.setProperty(k + "min", Long.toString(s.qos().minIops()));
            p.setProperty(k + "max", Long.toString(s.qos().maxIops()));
            p.setProperty(k + "burst", Long.toString(s.qos().burstIops()));
            p.setProperty(k + "iqn", s.iqn());
            int g = 0;
            for (Map.Entry<String, List<String>> group : s.groups().entrySet()) {
                p.setProperty(k + "group." + g + ".name", group.getKey());
                p.setProperty(k + "group." + g + ".initiators", String.join(" ", group.getValue()));
                g++;
            }
            p.setProperty(k + "groups", Integer.toString(g));
            p.setProperty(k + "chap", v.chapSecret());
        }
        p.setProperty("volumes", String.join(",", ids));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Spindle test SAN");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.BACKEND_FAILURE, null,
                    "test SAN cannot save its state to " + file + ": " + e.getMessage(), e);
        }
    }
}
