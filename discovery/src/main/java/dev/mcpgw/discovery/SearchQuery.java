package dev.mcpgw.discovery;

import dev.mcpgw.core.model.FieldException;
import java.util.Set;

/**
 * A need in words, how many tools to return, and optional filters (any of the servers, any of the tags).
 * Refuses what no caller should send with a {@link FieldException} naming the field ({@code query},
 * {@code top_k}); each door says it in its own words (a query parameter, an option, a tool argument).
 */
public record SearchQuery(String text, int topK, Set<String> servers, Set<String> tags) {

    public static final int MAX_TEXT = 1000;
    public static final int MAX_TOP_K = 100;

    public SearchQuery {
        if (text == null || text.isBlank()) {
            throw new FieldException(
                    "query", "empty; describe the tool you need, for example " + "\"get a stock quote\"");
        }
        if (text.length() > MAX_TEXT) {
            throw new FieldException("query", text.length() + " characters; at most " + MAX_TEXT);
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new FieldException("top_k", topK + " is out of range; give 1 to " + MAX_TOP_K);
        }
        servers = servers == null ? Set.of() : Set.copyOf(servers);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    public static SearchQuery of(String text, int topK) {
        return new SearchQuery(text, topK, Set.of(), Set.of());
    }
}
