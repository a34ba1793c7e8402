package dev.mcpgw.runtime.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #MAX_FAILURES} failed sign-ins within {@link #WINDOW} for one
 * user name from one address, or four times as many from one address, sign-in from there waits until the
 * oldest failure leaves the window. A success for the pair clears its failures.
 */
public final class LoginThrottle {

    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whose failures an address's are: the address itself, or for IPv6 its /64 - one host usually holds a whole /64
     * and could otherwise take a fresh address for every guess.
     */
    public static String source(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(
                            address.replace("[", "").replace("]", ""))
                    .getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff))
                        .append(':');
            }
            return prefix.append(":/64").toString();
        } catch (java.net.UnknownHostException notALiteral) {
            return address;
        }
    }

    /** How long the caller must wait before trying again; zero when it may try now. */
    public Duration waitFor(String address, String user) {
        Instant now = clock.instant();
        Duration pair = wait(key(address, user), MAX_FAILURES, now);
        Duration total = wait(address, 4 * MAX_FAILURES, now);
        return pair.compareTo(total) > 0 ? pair : total;
    }

    /** How long an address must wait whatever user name it tries (its own limit of failures in the window). */
    public Duration waitFor(String address) {
        return wait(address, 4 * MAX_FAILURES, clock.instant());
    }

    public void failed(String address, String user) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED) {
            Instant horizon = now.minus(WINDOW);
            failures.values().removeIf(times -> isStale(times, horizon));
        }
        for (String key : new String[] {key(address, user), address}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
                while (times.size() > 4 * MAX_FAILURES) {
                    times.removeFirst();
                }
            }
        }
    }

    public void succeeded(String address, String user) {
        failures.remove(key(address, user));
    }

    private Duration wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            times.removeIf(time -> !time.isAfter(now.minus(WINDOW)));
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            Instant[] recent = times.toArray(Instant[]::new);
            return Duration.between(now, recent[recent.length - limit].plus(WINDOW));
        }
    }

    private static boolean isStale(Deque<Instant> times, Instant horizon) {
        synchronized (times) {
            return times.isEmpty() || !times.peekLast().isAfter(horizon);
        }
    }

    private static String key(String address, String user) {
        return address + "\n" + user;
    }
}
