package org.spindle.storage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The bundle's manifest as bnd wrote it (bnd-process runs before the tests): the service API packages
 * (what shells, embedders and a CSI plugin import) do not {@code uses:} the SPI packages, so a change of an
 * SPI never forces them to a new major version.
 */
class ManifestTest {
    private static final String API = "org.spindle.storage.api";

    /** Export-Package clauses by package: the clause's attributes and directives. */
    static Map<String, String> exports() throws Exception {
        Manifest m;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            m = new Manifest(in);
        }
        String header = m.getMainAttributes().getValue("Export-Package");
        Map<String, String> out = new LinkedHashMap<>();
        // clauses are separated by commas outside quotes
        Matcher clause = Pattern.compile("([\\w.]+)((?:;[^,\"]*(?:\"[^\"]*\")?)*)").matcher(header);
        while (clause.find()) {
            out.put(clause.group(1), clause.group(2));
        }
        return out;
    }

    @Test
    void serviceApiDoesNotUseTheSpis() throws Exception {
        Map<String, String> exports = exports();
        for (String pkg : new String[] {API + ".volume", API + ".runtime", API + ".qos", API + ".usage", API + ".audit", API}) {
            String clause = exports.get(pkg);
            assertTrue(clause != null, pkg + " is exported");
            assertFalse(clause.contains(API + ".driver"), pkg + " must not use the driver SPI: " + clause);
            assertFalse(clause.contains(API + ".attach"), pkg + " must not use the attach SPI: " + clause);
        }
    }

    @Test
    void everyPackageIsExportedWithItsVersion() throws Exception {
        Map<String, String> exports = exports();
        assertEquals(8, exports.size(), "api, attach, audit, driver, qos, runtime, usage, volume: " + exports.keySet());
        exports.forEach((pkg, clause) -> assertTrue(clause.matches(".*version=\"\\d+\\.\\d+\\.\\d+\".*"), pkg + ": " + clause));
    }
}
