package dev.baton.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One API token of the server. The token itself is never stored, only its hash.
 *
 * @param id a short public id, shown in listings and used to revoke the token
 * @param name what the token is for, as its creator named it
 * @param role {@code viewer}, {@code operator} or {@code admin}
 * @param tokenHash the SHA-256 of the token, in lower-case hex
 */
public record TokenRecord(String id, String name, String role, String tokenHash, Instant createdAt) {
    public TokenRecord {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
