package dev.mcpgw.discovery;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What kind of thing a need asks for, or a tool does, from its verb: many near-misses pick the right server and
 * the wrong action (listing issues when asked to open one). The first verb of a need and of a tool's name are
 * compared; agreeing actions lift a tool a little, disagreeing ones lower it.
 */
enum Action {
    CREATE(
            "create",
            "add",
            "new",
            "make",
            "open",
            "file",
            "register",
            "book",
            "schedule",
            "insert",
            "generate",
            "draft",
            "compose",
            "setup",
            "raise",
            "submit",
            "put",
            "upload",
            "invite",
            "issue",
            "start"),
    READ(
            "get",
            "show",
            "fetch",
            "list",
            "find",
            "search",
            "look",
            "lookup",
            "check",
            "see",
            "view",
            "read",
            "what",
            "which",
            "who",
            "when",
            "where",
            "how",
            "describe",
            "status",
            "info",
            "details",
            "count",
            "query",
            "tell",
            "download",
            "is",
            "are",
            "does",
            "do"),
    UPDATE(
            "update", "edit", "change", "modify", "rename", "replace", "swap", "set", "move", "scale", "resize",
            "patch", "assign", "merge", "close", "resolve", "approve"),
    DELETE(
            "delete",
            "remove",
            "drop",
            "kill",
            "cancel",
            "stop",
            "abort",
            "terminate",
            "revoke",
            "archive",
            "purge",
            "unsubscribe"),
    SEND(
            "send",
            "post",
            "notify",
            "message",
            "announce",
            "share",
            "email",
            "text",
            "reply",
            "publish",
            "alert",
            "ping",
            "sms",
            "tweet",
            "broadcast"),
    RUN(
            "run",
            "execute",
            "trigger",
            "deploy",
            "restart",
            "sync",
            "launch",
            "rollback",
            "rerun",
            "retry",
            "invoke",
            "translate",
            "convert",
            "calculate",
            "compress",
            "transcribe");

    private static final Map<String, Action> BY_VERB = new HashMap<>();

    static {
        for (Action action : values()) {
            for (String verb : action.verbs) {
                BY_VERB.putIfAbsent(verb, action);
            }
        }
    }

    private final List<String> verbs;

    Action(String... verbs) {
        this.verbs = List.of(verbs);
    }

    /** The action of the first of {@code words} that names one, if any. */
    static Optional<Action> of(String words) {
        for (String word : words.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            Action action = BY_VERB.get(word);
            if (action != null) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
