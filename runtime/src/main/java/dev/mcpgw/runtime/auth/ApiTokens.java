package dev.mcpgw.runtime.auth;

import dev.mcpgw.core.git.GitStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bearer tokens for programs. A token is {@code mcpgw_<id>_<secret>}; only the SHA-256 of the whole token is
 * kept, in {@code tokens/<id>.json} on the {@code tokens} branch of the registry repository, so every runtime
 * replica can verify it and creating or revoking one is a commit like any other change. The secret has 256
 * random bits, so its hash needs no slow function. Verification reads a copy in memory, reloaded when the
 * branch moves.
 */
public final class ApiTokens {

    public static final String DEFAULT_BRANCH = "tokens";
    public static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    public static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);

    private static final Pattern TOKEN = Pattern.compile("mcpgw_([0-9a-f]{12})_[A-Za-z0-9_-]{43}");
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GitStore store;
    private final String branch;
    private final String remote;
    private final Clock clock;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>(new Loaded(null, Map.of(), Map.of()));

    /** What is kept of a token: never the token itself. */
    public record TokenRecord(
            String id,
            String user,
            Set<String> groups,
            String description,
            String sha256,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            String createdBy) {

        public boolean activeAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    /** A new token: {@code token} is shown once and cannot be recovered. */
    public record Created(String token, TokenRecord record) {}

    /** The branch as last read: its tip, the tokens by id, and the sessions signed out (by id, until when). */
    private record Loaded(ObjectId tip, Map<String, TokenRecord> byId, Map<String, Instant> endedSessions) {}

    /** Where signed-out sessions are listed on the branch, one file per session holding its expiry. */
    static final String ENDED_SESSIONS = "ended-sessions";

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    /** @param remote when set, changes are pushed there and reloads fetch from there first */
    public ApiTokens(GitStore store, String branch, String remote, Clock clock) {
        this.store = store;
        this.branch = branch;
        this.remote = remote;
        this.clock = clock;
    }

    public Created create(String user, Set<String> groups, Duration validFor, String description, PersonIdent author)
            throws IOException {
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException(
                    "user '" + user + "' must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        for (String group : groups) {
            if (!GROUP.matcher(group).matches()) {
                throw new IllegalArgumentException(
                        "group '" + group + "' must be 1-64 lower-case letters, digits, '.', '_' or '-'");
            }
        }
        if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a token must expire within " + MAX_LIFETIME.toDays() + " days");
        }
        if (description != null
                && (description.length() > 200 || description.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("the description must be one line of at most 200 characters");
        }
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String token =
                "mcpgw_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TokenRecord record = new TokenRecord(
                id,
                user,
                new TreeSet<>(groups),
                description,
                sha256(token),
                now,
                now.plus(validFor),
                null,
                author.getName());
        write(record, "Create API token " + id + " for " + user, author);
        return new Created(token, record);
    }

    /** Revokes a token; false when there is no such token. */
    public boolean revoke(String id, PersonIdent author) throws IOException {
        Optional<TokenRecord> found =
                list().stream().filter(record -> record.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return false;
        }
        TokenRecord record = found.get();
        if (record.revokedAt() == null) {
            write(
                    new TokenRecord(
                            record.id(),
                            record.user(),
                            record.groups(),
                            record.description(),
                            record.sha256(),
                            record.createdAt(),
                            record.expiresAt(),
                            clock.instant(),
                            record.createdBy()),
                    "Revoke API token " + id + " of " + record.user(),
                    author);
        }
        return true;
    }

    /** Every token on the branch as it is now, newest first. */
    public List<TokenRecord> list() throws IOException {
        refresh();
        List<TokenRecord> records = new ArrayList<>(loaded.get().byId().values());
        records.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return records;
    }

    /** Reloads the tokens when the branch moved; cheap when it did not. */
    public void refresh() throws IOException {
        ObjectId tip = store.tip(branch).orElse(null);
        Loaded current = loaded.get();
        if (tip == null ? current.tip() == null : tip.equals(current.tip())) {
            return;
        }
        Map<String, TokenRecord> byId = new java.util.HashMap<>();
        Map<String, Instant> ended = new java.util.HashMap<>();
        if (tip != null) {
            store.files(tip, "tokens").forEach((path, bytes) -> {
                TokenRecord record = parse(bytes);
                if (record != null) {
                    byId.put(record.id(), record);
                }
            });
            store.files(tip, ENDED_SESSIONS).forEach((path, bytes) -> {
                String id = path.substring(path.lastIndexOf('/') + 1);
                try {
                    ended.put(
                            id,
                            Instant.ofEpochSecond(
                                    Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).strip())));
                } catch (RuntimeException unreadable) {
                    ended.put(id, Instant.MAX); // kept ended: a damaged entry never revives a session
                }
            });
        }
        loaded.set(new Loaded(tip, Map.copyOf(byId), Map.copyOf(ended)));
    }

    /**
     * Records that a session was signed out, on the branch every runtime replica reads (and pushes to, with a
     * remote): the session stops working on each of them within a second of seeing the branch (after its next
     * fetch, with a remote), and stays ended across restarts until it would have expired anyway. Entries of
     * sessions past their expiry are removed in the same commit.
     */
    public void endSession(String sessionId, Instant expiresAt, PersonIdent author) throws IOException {
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("not a session id");
        }
        Instant now = clock.instant();
        GitStore.ChangeFunction change = snapshot -> {
            Map<String, byte[]> edits = new java.util.HashMap<>();
            Map<String, byte[]> listed = snapshot.files(ENDED_SESSIONS);
            listed.forEach((path, bytes) -> {
                try {
                    if (Instant.ofEpochSecond(Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).strip()))
                            .isBefore(now)) {
                        edits.put(path, null);
                    }
                } catch (RuntimeException unreadable) {
                    // left as it is: see refresh()
                }
            });
            edits.put(
                    ENDED_SESSIONS + "/" + sessionId,
                    (expiresAt.getEpochSecond() + "\n").getBytes(StandardCharsets.US_ASCII));
            return new GitStore.Change(
                    edits, "Sign out session of " + dev.mcpgw.core.text.UnsafeCharacters.oneLine(author.getName()));
        };
        if (remote == null) {
            store.commit(branch, change, author);
        } else {
            store.commitAndPush(remote, branch, change, author);
        }
        refresh();
    }

    /** Whether a session was signed out (on any replica whose record this one has read). */
    public boolean sessionEnded(String sessionId) {
        return loaded.get().endedSessions().containsKey(sessionId);
    }

    /** Brings the branch from the remote, when there is one; false when the remote has no such branch yet. */
    public boolean fetch() throws IOException {
        return remote != null && store.pull(remote, branch);
    }

    /** Who the bearer token belongs to, when it is one of ours, unexpired and not revoked. */
    public Optional<Principal> verify(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String id = token.substring(6, 18);
        TokenRecord record = loaded.get().byId().get(id);
        if (record == null
                || !MessageDigest.isEqual(
                        record.sha256().getBytes(StandardCharsets.US_ASCII),
                        sha256(token).getBytes(StandardCharsets.US_ASCII))
                || !record.activeAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Principal(record.user(), record.groups(), Principal.Via.TOKEN));
    }

    private void write(TokenRecord record, String message, PersonIdent author) throws IOException {
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(record));
        GitStore.Change change = new GitStore.Change(Map.of("tokens/" + record.id() + ".json", json), message);
        if (remote == null) {
            store.commit(branch, snapshot -> change, author);
        } else {
            store.commitAndPush(remote, branch, snapshot -> change, author);
        }
        refresh();
    }

    private static ObjectNode toJson(TokenRecord record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", record.id());
        json.put("user", record.user());
        record.groups().forEach(json.putArray("groups")::add);
        json.put("description", record.description());
        json.put("sha256", record.sha256());
        json.put("created_at", record.createdAt().toString());
        json.put("expires_at", record.expiresAt().toString());
        json.put(
                "revoked_at",
                record.revokedAt() == null ? null : record.revokedAt().toString());
        json.put("created_by", record.createdBy());
        return json;
    }

    /** A record that cannot be read is left out: it can grant nothing. */
    private static TokenRecord parse(byte[] bytes) {
        try {
            JsonNode json = JSON.readTree(bytes);
            Set<String> groups = new TreeSet<>();
            json.path("groups").forEach(group -> groups.add(group.asString()));
            JsonNode revoked = json.path("revoked_at");
            return new TokenRecord(
                    json.required("id").asString(),
                    json.required("user").asString(),
                    groups,
                    json.path("description").isString()
                            ? json.path("description").asString()
                            : null,
                    json.required("sha256").asString(),
                    Instant.parse(json.required("created_at").asString()),
                    Instant.parse(json.required("expires_at").asString()),
                    revoked.isString() ? Instant.parse(revoked.asString()) : null,
                    json.path("created_by").asString(""));
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
