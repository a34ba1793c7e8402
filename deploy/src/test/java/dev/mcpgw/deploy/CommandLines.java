package dev.mcpgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.cli.Mcpgw;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Checks that an mcpgw command line written in a workflow, Dockerfile or manifest is one mcpgw accepts. */
final class CommandLines {

    private CommandLines() {}

    /** Splits a shell command line simply: quotes removed, $VARIABLES and $(VARIABLES) kept as words. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.strip().split("\\s+")) {
            words.add(word.replace("\"", "").replace("'", ""));
        }
        return words;
    }

    /** Asserts that picocli parses {@code args} (after the program name) as an mcpgw command. */
    static void assertAccepted(List<String> args, String where) {
        try {
            Mcpgw.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": mcpgw " + String.join(" ", args) + " is refused: " + e.getMessage(), e);
        }
        assertThat(args).as(where).isNotEmpty();
    }
}
