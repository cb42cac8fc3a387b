package org.spindle.driver.solidfire.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spindle.driver.solidfire.internal.element.ElementApi;
import org.spindle.driver.solidfire.internal.element.ElementException;
import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.Secret;

/**
 * Tenant → SolidFire account {@code <prefix>_<tenant>}: looked up by name, created when missing with CHAP
 * secrets the driver draws from {@link SecureRandom} (16 characters each, initiator ≠ target so that mutual
 * CHAP means something). Secrets stay in {@link Secret}s and are never logged.
 */
final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    private static final String SECRET_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static final int SECRET_LENGTH = 16;
    static final int MAX_USERNAME = 64;

    private final String prefix;
    private final SecureRandom random;
    /** accountID → whether it is one of this driver's accounts; account IDs are never reused by Element. */
    private final Map<Long, Boolean> classified = new ConcurrentHashMap<>();

    Accounts(String prefix, SecureRandom random) {
        this.prefix = prefix;
        this.random = random;
    }

    /** The account name of a tenant; tenants too long for Element's 64 characters get a hash suffix. */
    String accountName(String tenant) {
        String name = prefix + "_" + tenant;
        if (name.length() <= MAX_USERNAME) {
            return name;
        }
        String hash = sha256(tenant).substring(0, 12);
        return name.substring(0, MAX_USERNAME - hash.length() - 1) + "-" + hash;
    }

    /** Whether an account name is one this driver makes. */
    boolean ours(String username) {
        return username.startsWith(prefix + "_");
    }

    /**
     * Which of {@code accountIds} are this driver's accounts. Accounts seen before are known without a call; an
     * unknown one (made since, by this or another node) costs one {@code ListAccounts}, which classifies them all.
     */
    Set<Long> ownedAmong(ElementApi api, Collection<Long> accountIds) {
        if (!classified.keySet().containsAll(accountIds)) {
            api.listAccounts().forEach(a -> classified.put(a.accountID(), ours(a.username())));
        }
        return accountIds.stream().filter(id -> classified.getOrDefault(id, false)).collect(Collectors.toSet());
    }

    /** The tenant's account, created if missing. */
    Wire.Account ensure(ElementApi api, String tenant) {
        String name = accountName(tenant);
        try {
            return known(api.getAccountByName(name));
        } catch (ElementException e) {
            if (!e.is("xUnknownAccount")) {
                throw e;
            }
        }
        Secret initiator = secret();
        Secret target = secret();
        try {
            long id = api.addAccount(name, initiator, target, Map.of("spindle-tenant", tenant));
            LOG.info("Created SolidFire account {} (id {}) for tenant {}", name, id, tenant);
            return known(new Wire.Account(id, name, initiator, target));
        } catch (ElementException e) {
            if (!e.is("xDuplicateUsername")) {
                throw e;
            }
            // created concurrently: use that one
            return known(api.getAccountByName(name));
        }
    }

    private Wire.Account known(Wire.Account a) {
        classified.put(a.accountID(), ours(a.username()));
        return a;
    }

    Secret secret() {
        StringBuilder b = new StringBuilder(SECRET_LENGTH);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            b.append(SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length())));
        }
        return Secret.of(b.toString());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
