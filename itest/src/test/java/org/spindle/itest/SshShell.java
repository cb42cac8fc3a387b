package org.spindle.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * A distribution's shell over ssh from the test JVM, the way {@code bin/client -b} reaches it: the same SSH library
 * (Apache MINA SSHD, the version the distribution ships), a password login, the commands as one {@code exec} request,
 * no stdin, stdout and stderr together, the exit status the server sends (0 when it sends none), and 1 with the error's
 * message when the connection or the login fails. Without a JVM started per session: {@code bin/client} costs
 * 2-5 s of JVM start on the CI's 2 cores (measured in KvmSeedFlowIT: 3.7 s round trip for a 0.7 s command), and
 * the process tests open hundreds of sessions. {@link KarafProcess#binClient()} keeps {@code bin/client} itself
 * where the operator's own client is what a test is about.
 */
final class SshShell implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    /** As long as a command may take: a crash test's held SAN calls, a listing of thousands of volumes. */
    private static final Duration COMMAND = Duration.ofMinutes(10);

    private SshClient client;

    /** Runs {@code script} (commands, one a line) as {@code user} on 127.0.0.1:{@code port}; never throws on a failed session. */
    KarafProcess.Result exec(int port, String user, String password, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ClientSession session = client().connect(user, "127.0.0.1", port).verify(CONNECT).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(CONNECT);
            try (ChannelExec channel = session.createExecChannel(script)) {
                channel.setIn(new ByteArrayInputStream(new byte[0]));
                channel.setOut(out);
                channel.setErr(out);
                channel.open().verify(CONNECT);
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), COMMAND);
                if (!events.contains(ClientChannelEvent.CLOSED)) {
                    return new KarafProcess.Result(-1, text(out) + "\n(no end of the session after " + COMMAND + ")");
                }
                Integer status = channel.getExitStatus();
                return new KarafProcess.Result(status == null ? 0 : status, text(out));
            }
        } catch (IOException | RuntimeException e) {
            return new KarafProcess.Result(1, text(out) + e.getMessage() + "\n");
        }
    }

    private synchronized SshClient client() {
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            // only the password given: no key or host entry of the user running the tests
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.start();
        }
        return client;
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws IOException {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
