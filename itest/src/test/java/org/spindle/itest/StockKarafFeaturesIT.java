package org.spindle.itest;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * Issue 2: each Spindle feature installs in a stock Karaf (the {@code apache-karaf} tar.gz BootTimeIT also boots).
 * The only changes to it are free ports, a user for the ssh shell (stock Karaf ships none enabled) and, when the
 * build uses another local repository than {@code ~/.m2/repository}, that repository for {@code mvn:} URLs. The
 * features repository is added with {@code feature:repo-add}, then each feature is installed on its own, in
 * dependency order, and must be listed as installed and started; at the end the {@code storage:} commands answer.
 */
public class StockKarafFeaturesIT {
    private static final List<String> FEATURES = List.of("spindle-api", "spindle-core", "spindle-shell",
            "spindle-driver-solidfire", "spindle-hyper-kvm", "spindle");

    @Test
    public void eachFeatureInstallsInStockKaraf() throws Exception {
        String version = System.getProperty("spindle.version");
        try (KarafProcess k = KarafProcess.unpack(Paths.get(System.getProperty("karaf.stock.tar")),
                Paths.get("target/boot/stock-features"))) {
            String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
            if (localRepo != null && !localRepo.isBlank()) {
                // where the build installed Spindle (and its third-party bundles), also among the default repositories,
                // which pax-url reads directly (a dependency downloaded through a mirror is then found too, and offline)
                String repo = Paths.get(localRepo).toUri().toString();
                Path cfg = k.home.resolve("etc/org.ops4j.pax.url.mvn.cfg");
                String text = Files.readString(cfg);
                // the stock value spans continuation lines: replace all of it
                Matcher m = Pattern.compile("(?m)^org\\.ops4j\\.pax\\.url\\.mvn\\.defaultRepositories\\s*=(?:.*\\\\\\n)*.*$").matcher(text);
                assertTrue(text, m.find());
                Files.writeString(cfg, text.substring(0, m.start()) + "org.ops4j.pax.url.mvn.defaultRepositories = "
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots, "
                        + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots, "
                        + repo + "@id=build.local@snapshots" + text.substring(m.end())
                        + "\norg.ops4j.pax.url.mvn.localRepository = " + localRepo + "\n");
            }
            long t0 = System.nanoTime();
            k.start();
            k.awaitClient(Duration.ofSeconds(120), r -> r.exit() == 0 && r.output().contains("Active"), "bundle:list -t 0");
            String repository = "mvn:org.spindle/org.spindle.features/" + version + "/xml/features";
            String repos = k.ok("feature:repo-add " + repository, "feature:repo-list").output();
            assertTrue(repos, repos.contains(repository));

            List<String> times = new ArrayList<>();
            for (String feature : FEATURES) {
                long f0 = System.nanoTime();
                // one session: batch mode stops at a failing install, so the listing is only printed after a success
                String installed = k.ok("feature:install " + feature, "feature:list -i").output();
                times.add(String.format("%s %.1f s", feature, (System.nanoTime() - f0) / 1e9));
                assertTrue(feature + " installed and started: " + installed,
                        installed.lines().anyMatch(l -> l.matches("\\s*" + Pattern.quote(feature)
                                + "\\s*\\|.*\\|\\s*x\\s*\\|\\s*Started\\s*\\|.*")));
            }
            String pools = k.ok("storage:pool-list --json", "storage:hypervisor-list", "storage:offering-list").output();
            assertTrue(pools, pools.contains("[ ]") || pools.contains("[]"));
            String bundles = k.ok("bundle:list -t 0 -s").output();
            List<String> spindle = bundles.lines().filter(l -> l.contains("org.spindle.")).toList();
            assertTrue("the api, core, configuration encryption, shell, SolidFire and KVM bundles: " + bundles, spindle.size() == 6);
            assertTrue("every Spindle bundle resolves and starts: " + bundles, spindle.stream().allMatch(l -> l.contains("Active")));
            System.out.printf("StockKarafFeaturesIT: stock Karaf %s, feature:install + feature:list -i (shell sessions) %s; %.1f s in all%n",
                    System.getProperty("karaf.version"), String.join(", ", times), (System.nanoTime() - t0) / 1e9);
        }
    }
}
