package dev.mcpgw.core.status;

import java.util.Locale;

/** What the probe saw (contract 3). */
public enum Health {
    HEALTHY, UNHEALTHY, UNREACHABLE, DISABLED, UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Health fromJsonName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
