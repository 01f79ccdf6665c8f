package dev.baton.server.auth;

import static java.util.Objects.requireNonNull;

import dev.baton.state.StateStore;
import dev.baton.state.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates API tokens and recognises them. A token is {@code btn_} and 32 random bytes; the state
 * store keeps only its SHA-256. Recognised tokens are remembered for a few seconds so that a busy
 * client does not cost a state-store query per request; deleting a token through this class
 * forgets it at once.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long REMEMBER_MILLIS = 5_000;

    private final StateStore store;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Role> extra = new ConcurrentHashMap<>();

    public Tokens(StateStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** A token and what was stored for it. */
    public record Created(String token, TokenRecord record) {}

    /** Creates and stores a token; the returned token text is not kept anywhere. */
    public static Created create(StateStore store, Role role, String name) {
        String token = newToken();
        byte[] idBytes = new byte[4];
        RANDOM.nextBytes(idBytes);
        TokenRecord record = new TokenRecord(HexFormat.of().formatHex(idBytes), name, role.label(), hash(token), Instant.now());
        store.saveToken(record);
        return new Created(token, record);
    }

    /** A fresh random token that is not stored (for the server's own local credential). */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "btn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Accepts this token with this role for as long as the server runs, without storing it. */
    public void acceptInMemory(String token, Role role) {
        extra.put(hash(token), role);
    }

    /** The role of a token, or empty when the token is unknown. */
    public Optional<Role> roleOf(String token) {
        String hash = hash(token);
        Role inMemory = extra.get(hash);
        if (inMemory != null) {
            return Optional.of(inMemory);
        }
        long now = System.currentTimeMillis();
        Known cached = known.get(hash);
        if (cached != null && now - cached.checkedAt() < REMEMBER_MILLIS) {
            return cached.role();
        }
        Optional<Role> role = store.tokenByHash(hash).map(record -> Role.fromLabel(record.role()));
        known.put(hash, new Known(role, now));
        return role;
    }

    public boolean delete(String id) {
        boolean deleted = store.deleteToken(id);
        known.clear();
        return deleted;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private record Known(Optional<Role> role, long checkedAt) {}
}
