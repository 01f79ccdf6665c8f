package dev.baton.server.ui;

import static java.util.Objects.requireNonNull;

import dev.baton.server.auth.Role;
import java.time.Instant;

/** A signed-in browser: the role of the token it signed in with. */
record Session(String id, Role role, Instant expiresAt) {
    Session {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    boolean mayOperate() {
        return role.allows(Role.OPERATOR);
    }
}
