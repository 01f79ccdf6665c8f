package dev.baton.server.ui;

import dev.baton.server.auth.Role;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, in memory: signing in with a token gives a random session id in a cookie, so
 * the token itself never sits in the browser. A server restart signs everyone out.
 */
final class Sessions {
    static final String COOKIE = "baton_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Session open(Role role) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        Session session = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), role, Instant.now().plus(LIFETIME));
        sessions.put(session.id(), session);
        return session;
    }

    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expiresAt().isBefore(Instant.now())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
