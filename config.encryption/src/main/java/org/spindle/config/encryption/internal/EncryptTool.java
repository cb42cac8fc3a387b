package org.spindle.config.encryption.internal;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The command line behind {@code bin/spindle encrypt}: reads one secret (from the terminal without echo, or one line
 * of standard input) and prints its {@code ENC(...)} form for a private key of a configuration file, made with the
 * master key found as the plugin finds it ({@link MasterKey}). {@code --new-key} prints a new random master key instead.
 * The secret is never taken as an argument (arguments are visible to every user of the machine). Exit 2 on a usage
 * error or when there is no usable key.
 */
public final class EncryptTool {
    private static final String KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private EncryptTool() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length == 1 && args[0].equals("--new-key")) {
            out.println(newKey());
            return 0;
        }
        if (args.length != 0) {
            err.println("usage: encrypt            (reads the secret; the key: " + MasterKey.ENVIRONMENT + " or -D" + MasterKey.FILE_PROPERTY + "=FILE)");
            err.println("       encrypt --new-key  (prints a new random master key)");
            return 2;
        }
        MasterKey key;
        try {
            key = MasterKey.find(System::getenv, System::getProperty);
        } catch (IllegalStateException e) {
            err.println("encrypt: " + e.getMessage());
            return 2;
        }
        String secret = readSecret();
        if (secret == null || secret.isEmpty()) {
            err.println("encrypt: no secret given (one line on standard input, or typed at the prompt)");
            return 2;
        }
        out.println(new ValueCipher(key).encrypt(secret));
        return 0;
    }

    /** 32 characters from a 57-letter alphabet: about 186 bits. */
    static String newKey() {
        SecureRandom random = new SecureRandom();
        char[] key = new char[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length()));
        }
        return new String(key);
    }

    private static String readSecret() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("secret: ");
            char[] again = console.readPassword("again: ");
            if (first == null || !Arrays.equals(first, again)) {
                return null;
            }
            return new String(first);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
