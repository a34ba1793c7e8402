package dev.mcpgw.core.validation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A registry directory in a temp folder, and the checks every report must pass. */
final class RegistryFixture {

    static final RegistryValidator VALIDATOR = RegistryValidator.create();

    /** A minimal valid entry for id "time"; tests change one line of it. */
    static final String VALID = """
            name: Current Time
            path: /time
            proxy_pass_url: http://127.0.0.1:8001
            transport: streamable-http
            description: Tells the time.
            """;

    private final Path directory;

    RegistryFixture(Path directory) {
        this.directory = directory;
    }

    Path write(String relativePath, String yaml) {
        return write(relativePath, yaml.getBytes(UTF_8));
    }

    Path write(String relativePath, byte[] bytes) {
        try {
            Path file = directory.resolve(relativePath);
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ValidationReport validate() {
        try {
            ValidationReport report = VALIDATOR.validateDirectory(directory, "servers");
            assertEveryProblemIsClear(report);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates one file named after the id in {@code yaml} and returns its single problem. */
    Problem onlyProblemOf(String fileName, String yaml) {
        write(fileName, yaml);
        ValidationReport report = validate();
        assertThat(report.problems()).as("problems of %s", yaml).hasSize(1);
        return report.problems().get(0);
    }

    /** Replaces the line starting with {@code key:} (or appends one) with {@code key: value}. */
    static String with(String yaml, String key, String value) {
        String line = key + ": " + value;
        return yaml.contains(key + ":")
                ? yaml.replaceAll("(?m)^" + key + ":.*$", java.util.regex.Matcher.quoteReplacement(line))
                : yaml + line + "\n";
    }

    /** A YAML single-quoted scalar: can hold any printable text, only ' is doubled. */
    static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** No stack traces, no exception names, a position for every problem inside a file, printable text. */
    static void assertEveryProblemIsClear(ValidationReport report) {
        for (Problem problem : report.problems()) {
            assertThat(problem.message())
                    .isNotBlank()
                    .doesNotContain("Exception", "\tat ", "java.", "com.networknt", "org.snakeyaml");
            assertThat(problem.toString()).doesNotContainPattern("[\\x00-\\x1F\\x7F\\u202A-\\u202E\\u2066-\\u2069]");
            if (problem.file().endsWith(".yaml") || problem.file().endsWith(".yml")) {
                boolean aboutWholeFile = problem.message().contains("symbolic link")
                        || problem.message().contains(" bytes; a server entry may be at most");
                assertThat(problem.position() != null || aboutWholeFile)
                        .as("position of %s", problem)
                        .isTrue();
            }
        }
    }
}
