package dev.mcpgw.discovery;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The need in a request, without its framing: "Do I have tools to get stock information?" becomes "get stock
 * information". Agents and people wrap needs in questions and politeness that carry no meaning for ranking and
 * pull a sentence embedding towards other questions.
 */
final class NeedText {

    // Every optional word ends at a word boundary: "any" is not "a" followed by "ny".
    private static final String ARTICLE = "(?:(?:an|any|some|a)\\b)?\\s*";
    private static final String THING = "(?:(?:tools?|ways?|servers?|something|anything)\\b)?\\s*";
    private static final Pattern FRAMING = Pattern.compile(
            "^(?:(?:please|hey|hi|ok|so)\\b[,!]?\\s+)*"
                    + "(?:(?:do|does|can|could|would|will)\\s+(?:i|we|you|the registry|anyone|anything)\\s+"
                    + "(?:(?:have|has|get|find|use)\\b)?\\s*" + ARTICLE + THING
                    + "(?:(?:to|that|for|which|in order to)\\b)?\\s*(?:can\\s+)?"
                    + "|(?:is|are)\\s+there\\s+" + ARTICLE + THING
                    + "(?:(?:to|that|for|which)\\b)?\\s*(?:can\\s+|could\\s+|will\\s+|lets?\\s+me\\s+)?"
                    + "|(?:i|we)(?:\\s+(?:need|want|would\\s+like)|'d\\s+like)\\s+(?:a\\s+tool\\s+)?(?:to\\s+)?"
                    + "|(?:how|where)\\s+(?:do|can|could|should)\\s+(?:i|we)\\s+"
                    + "|(?:help\\s+me|let\\s+me|find\\s+(?:me\\s+)?(?:a\\s+)?tools?\\s+(?:to|that|for))\\s+"
                    + "|(?:which|what)\\s+tools?\\s+(?:(?:can|could|will|should|do|does|to|for)\\b)?\\s*"
                    + "(?:i\\s+use\\s+to\\s+)?)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TRAILING = Pattern.compile("[?.!\\s]+$|\\s+please[?.!]*$", Pattern.CASE_INSENSITIVE);

    private NeedText() {}

    static String of(String request) {
        String need = TRAILING.matcher(FRAMING.matcher(request.strip()).replaceFirst(""))
                .replaceAll("")
                .strip();
        return need.isEmpty() ? request.strip().toLowerCase(Locale.ROOT) : need;
    }
}
