package dev.baton.api.engine;

public enum RelationType {
    TABLE,
    VIEW;

    public String sql() {
        return name();
    }
}
