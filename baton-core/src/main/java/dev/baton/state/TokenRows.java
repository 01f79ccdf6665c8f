package dev.baton.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the token table. */
final class TokenRows {
    private static final String COLUMNS = "id, name, role, token_hash, created_at";

    private TokenRows() {}

    static void insert(Connection connection, TokenRecord token) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, token.id());
            insert.setString(2, token.name());
            insert.setString(3, token.role());
            insert.setString(4, token.tokenHash());
            insert.setLong(5, token.createdAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    static Optional<TokenRecord> byHash(Connection connection, String hash) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM baton_tokens WHERE token_hash = ?")) {
            select.setString(1, hash);
            return read(select).stream().findFirst();
        }
    }

    static List<TokenRecord> all(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM baton_tokens ORDER BY created_at, id")) {
            return read(select);
        }
    }

    static boolean delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM baton_tokens WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() > 0;
        }
    }

    private static List<TokenRecord> read(PreparedStatement select) throws SQLException {
        List<TokenRecord> tokens = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                tokens.add(new TokenRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        Instant.ofEpochMilli(rows.getLong(5))));
            }
        }
        return tokens;
    }
}
