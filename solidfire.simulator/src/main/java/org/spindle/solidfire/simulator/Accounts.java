package org.spindle.solidfire.simulator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The cluster's accounts (tenants): their CHAP secrets, made up when not given, and what Element checks of them
 * (username 1–64 characters and unique, secrets 12–16 characters). Not thread-safe: {@link Cluster}'s lock guards it.
 */
final class Accounts {
    private static final String SECRET_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** One account; its fields are the wire's. */
    static final class Account {
        long id;
        String username;
        String initiatorSecret;
        String targetSecret;
        boolean enableChap = true;
        ObjectNode attributes;
    }

    private final ObjectMapper json;
    /** The ids of an account's volumes, for the {@code volumes} member of its JSON. */
    private final LongFunction<List<Long>> volumesOf;
    private final SecureRandom random = new SecureRandom();
    private final TreeMap<Long, Account> accounts = new TreeMap<>();
    private long nextId = 1;

    Accounts(ObjectMapper json, LongFunction<List<Long>> volumesOf) {
        this.json = json;
        this.volumesOf = volumesOf;
    }

    /** The account, or Element's xUnknownAccount-style failure naming the id. */
    Account get(long id) {
        Account a = accounts.get(id);
        if (a == null) {
            throw ElementException.accountNotFound(id);
        }
        return a;
    }

    Account byName(String username) {
        return accounts.values().stream().filter(x -> x.username.equals(username)).findFirst()
                .orElseThrow(() -> new ElementException("xUnknownAccount", "xUnknownAccount"));
    }

    /** AddAccount's checks, then the account (secrets made up when not given). */
    Account add(Params p) {
        String username = p.reqString("username");
        if (username.isEmpty() || username.length() > Cluster.MAX_NAME) {
            throw ElementException.invalid("username must be 1 to " + Cluster.MAX_NAME + " characters long, got " + username.length());
        }
        String initiatorSecret = p.optString("initiatorSecret").orElse(null);
        String targetSecret = p.optString("targetSecret").orElse(null);
        checkSecret("initiatorSecret", initiatorSecret);
        checkSecret("targetSecret", targetSecret);
        ObjectNode attributes = Cluster.checkAttributes(json, p.optObject("attributes").orElse(null));
        boolean enableChap = p.optBool("enableChap").orElse(true);
        if (accounts.values().stream().anyMatch(x -> x.username.equals(username))) {
            throw new ElementException("xDuplicateUsername", "Username " + username + " already exists.");
        }
        Account a = new Account();
        a.id = nextId++;
        a.username = username;
        a.initiatorSecret = initiatorSecret != null ? initiatorSecret : randomSecret();
        a.targetSecret = targetSecret != null ? targetSecret : randomSecret();
        a.enableChap = enableChap;
        a.attributes = attributes;
        accounts.put(a.id, a);
        return a;
    }

    /** ListAccounts: from {@code startAccountID}, at most {@code limit}. */
    ArrayNode list(long start, long limit) {
        ArrayNode arr = json.createArrayNode();
        accounts.tailMap(start, true).values().stream().limit(limit).forEach(a -> arr.add(json(a)));
        return arr;
    }

    Collection<Account> all() {
        return accounts.values();
    }

    ObjectNode json(Account a) {
        ObjectNode o = json.createObjectNode();
        o.put("accountID", a.id);
        o.set("attributes", a.attributes == null ? json.createObjectNode() : a.attributes.deepCopy());
        o.put("enableChap", a.enableChap);
        o.put("initiatorSecret", a.initiatorSecret);
        o.put("status", "active");
        o.putNull("storageContainerID");
        o.put("targetSecret", a.targetSecret);
        o.put("username", a.username);
        ArrayNode vols = o.putArray("volumes");
        volumesOf.apply(a.id).forEach(vols::add);
        return o;
    }

    List<Views.Account> views(Function<ObjectNode, Map<String, Object>> toMap) {
        List<Views.Account> out = new ArrayList<>();
        for (Account a : accounts.values()) {
            out.add(new Views.Account(a.id, a.username, a.initiatorSecret, a.targetSecret, toMap.apply(a.attributes), volumesOf.apply(a.id)));
        }
        return out;
    }

    private static void checkSecret(String member, String secret) {
        if (secret != null && (secret.length() < 12 || secret.length() > 16)) {
            // the message names the member and the length, never the secret
            throw ElementException.invalid(member + " must be 12 to 16 characters long, got " + secret.length() + " characters");
        }
    }

    private String randomSecret() {
        StringBuilder b = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            b.append(SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length())));
        }
        return b.toString();
    }
}
