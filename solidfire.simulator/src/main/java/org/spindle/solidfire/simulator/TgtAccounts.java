package org.spindle.solidfire.simulator;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tgt's incoming CHAP accounts of the simulator's targets: one per Element account, bound to the targets of its
 * volumes, deleted with its last target. tgt account names are global to the tgtd, so a leftover of another run is
 * taken over. Passwords go to tgtadm only, masked in its errors. Not thread-safe: {@link Cluster} serializes the calls.
 */
final class TgtAccounts {
    private static final System.Logger LOG = System.getLogger(TgtAccounts.class.getName());

    private static final class Ref {
        String password;
        int refs;
    }

    private final TgtAdm tgt;
    private final Map<String, Ref> accounts = new HashMap<>();

    TgtAccounts(TgtAdm tgt) {
        this.tgt = tgt;
    }

    /** Whether {@code user} exists here with {@code password}. */
    boolean has(String user, String password) {
        Ref ref = user == null ? null : accounts.get(user);
        return ref != null && ref.password.equals(password);
    }

    /**
     * Binds {@code user} (made or updated with {@code password}) to target {@code tid}. A changed password re-creates
     * the tgt account, which drops its bindings: {@code otherTids}, the other targets of the user, are bound again.
     */
    void bind(String user, String password, int tid, Collection<Integer> otherTids) {
        List<String> secrets = List.of(password);
        Ref ref = accounts.get(user);
        if (ref != null && !ref.password.equals(password)) {
            tgt.run(List.of("--mode", "account", "--op", "delete", "--user", user), secrets);
            tgt.run(List.of("--mode", "account", "--op", "new", "--user", user, "--password", password), secrets);
            ref.password = password;
            for (int other : otherTids) {
                tgt.run("--mode", "account", "--op", "bind", "--tid", Integer.toString(other), "--user", user);
            }
        }
        if (ref == null) {
            List<String> create = List.of("--mode", "account", "--op", "new", "--user", user, "--password", password);
            try {
                tgt.run(create, secrets);
            } catch (TgtAdm.TgtException e) {
                if (!e.alreadyExists()) {
                    throw e;
                }
                LOG.log(Level.WARNING, "tgt account {0} already exists; replacing it", user);
                tgt.run(List.of("--mode", "account", "--op", "delete", "--user", user), secrets);
                tgt.run(create, secrets);
            }
            ref = new Ref();
            ref.password = password;
            accounts.put(user, ref);
        }
        tgt.run("--mode", "account", "--op", "bind", "--tid", Integer.toString(tid), "--user", user);
        ref.refs++;
    }

    /** Unbinds {@code user} from target {@code tid}; the account goes with its last target. */
    void unbind(String user, int tid) {
        Ref ref = accounts.get(user);
        try {
            tgt.run("--mode", "account", "--op", "unbind", "--tid", Integer.toString(tid), "--user", user);
        } catch (TgtAdm.TgtException e) {
            LOG.log(Level.DEBUG, "unbind failed: {0}", e.getMessage());
        }
        if (ref != null && --ref.refs <= 0) {
            accounts.remove(user);
            delete(user);
        }
    }

    /** Deletes every account made here. */
    void close() {
        for (String user : List.copyOf(accounts.keySet())) {
            delete(user);
        }
        accounts.clear();
    }

    private void delete(String user) {
        try {
            tgt.run("--mode", "account", "--op", "delete", "--user", user);
        } catch (TgtAdm.TgtException e) {
            LOG.log(Level.DEBUG, "account delete failed: {0}", e.getMessage());
        }
    }
}
