package dev.mcpgw.core.status;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the probe saw (contract 3). */
public enum Health {
    HEALTHY,
    UNHEALTHY,
    UNREACHABLE,
    DISABLED,
    UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The health a JSON name stands for; empty for anything else. */
    public static Optional<Health> ofJsonName(String name) {
        return Arrays.stream(values())
                .filter(health -> health.jsonName().equals(name))
                .findFirst();
    }

    /**
     * The health a server has for people and programs, computed here and nowhere else: {@code disabled} when its
     * entry is disabled (whatever it last answered), {@code unknown} before its first check, else what was seen.
     */
    public static Health effective(boolean enabled, ServerStatus status) {
        return !enabled ? DISABLED : status == null ? UNKNOWN : status.health();
    }
}
