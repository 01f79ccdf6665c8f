package dev.baton.server.auth;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.util.Locale;

/** What a token may do. Each role may do everything the roles before it may. */
public enum Role {
    /** Reads the catalog, runs, check results and metrics. */
    VIEWER,
    /** Also triggers and cancels runs. */
    OPERATOR,
    /** Also manages tokens. */
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean allows(Role required) {
        return compareTo(required) >= 0;
    }

    public static Role fromLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new BatonException(ErrorCode.INVALID_ARGUMENT, "unknown role '" + label + "'; use viewer, operator or admin");
    }
}
