package dev.mcpgw.core.validation;

import dev.mcpgw.core.model.EgressPolicy;
import dev.mcpgw.core.model.SecretPolicy;
import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.model.ServerId;
import dev.mcpgw.core.text.UnsafeCharacters;
import dev.mcpgw.core.yaml.JsonPointers;
import dev.mcpgw.core.yaml.SafeYamlReader;
import dev.mcpgw.core.yaml.YamlDocument;
import dev.mcpgw.core.yaml.YamlSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The one validation path for server entries, used by {@code mcpgw validate}, the compiler and the runtime:
 * safe YAML, no unsafe characters, the schema, the model's rules, then the rules that span files
 * (file name equals id, unique ids). Reports every problem it finds rather than stopping at the first.
 */
public final class RegistryValidator {

    private final SafeYamlReader reader = new SafeYamlReader();
    private final YamlSchema schema;
    private final SecretPolicy secrets;
    private final EgressPolicy egress;

    public RegistryValidator(YamlSchema schema, SecretPolicy secrets, EgressPolicy egress) {
        this.schema = schema;
        this.secrets = secrets;
        this.egress = egress;
    }

    /** A validator that refuses only secret references to the runtime's own configuration (a pull request check). */
    public static RegistryValidator create() {
        return create(SecretPolicy.RESERVED_ONLY);
    }

    /** A validator that refuses secret references outside {@code secrets}, the deployment's choice. */
    public static RegistryValidator create(SecretPolicy secrets) {
        return create(secrets, EgressPolicy.UNCHECKED);
    }

    /** A validator for a deployment: secret references outside {@code secrets} and upstreams {@code egress} refuses. */
    public static RegistryValidator create(SecretPolicy secrets, EgressPolicy egress) {
        return new RegistryValidator(YamlSchema.load(), secrets, egress);
    }

    /** Where secrets may come from, as this validator checks references. */
    public SecretPolicy secrets() {
        return secrets;
    }

    /**
     * Validates every {@code *.yaml} and {@code *.yml} file under {@code directory} (hidden folders skipped).
     *
     * @param shownAs how messages name the directory, for example {@code servers}
     * @throws NoSuchFileException   when the directory does not exist
     * @throws NotDirectoryException when it is a file
     */
    public ValidationReport validateDirectory(Path directory, String shownAs) throws IOException {
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(shownAs);
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(shownAs);
        }
        List<Problem> unreadable = new ArrayList<>();
        List<SourceFile> sources = new ArrayList<>();
        for (Path path : entryFiles(directory)) {
            String shown = shownAs + "/" + directory.relativize(path).toString().replace('\\', '/');
            if (Files.isSymbolicLink(path)) {
                unreadable.add(new Problem(
                        shown,
                        null,
                        "",
                        "is a symbolic link; a server entry must be a " + "regular file in the repository"));
            } else if (Files.size(path) > SafeYamlReader.MAX_BYTES) {
                unreadable.add(new Problem(
                        shown,
                        null,
                        "",
                        "file is " + Files.size(path) + " bytes; a server " + "entry may be at most "
                                + SafeYamlReader.MAX_BYTES + " bytes"));
            } else {
                sources.add(new SourceFile(shown, Files.readAllBytes(path)));
            }
        }
        if (sources.isEmpty() && unreadable.isEmpty()) {
            return new ValidationReport(
                    List.of(),
                    List.of(new Problem(
                            shownAs,
                            null,
                            "",
                            "no server entries (*.yaml, *.yml) found; add one file per server, for example " + shownAs
                                    + "/currenttime.yaml")));
        }
        ValidationReport report = validate(sources);
        if (unreadable.isEmpty()) {
            return report;
        }
        List<FileResult> files = new ArrayList<>(report.files());
        unreadable.forEach(p -> files.add(new FileResult(p.file(), null, null, List.of(p))));
        List<Problem> problems = new ArrayList<>(report.problems());
        problems.addAll(unreadable);
        return new ValidationReport(files, problems);
    }

    /** Validates a set of files that together make up the registry. */
    public ValidationReport validate(List<SourceFile> sources) {
        List<FileResult> results = sources.size() < 64
                ? sources.stream().map(this::validateFile).toList()
                : sources.parallelStream().map(this::validateFile).toList();
        return combine(results);
    }

    /**
     * The report on files validated one by one with {@link #validateFile} (some perhaps remembered from an
     * earlier revision), with the rules that compare files added.
     */
    public ValidationReport combine(List<FileResult> results) {
        List<Problem> problems = new ArrayList<>();
        results.forEach(result -> problems.addAll(result.problems()));
        problems.addAll(duplicateIds(results));
        return new ValidationReport(results, problems);
    }

    /** Validates one file on its own: everything except the rules that compare files. */
    public FileResult validateFile(SourceFile source) {
        String file = source.shownAs();
        YamlDocument document;
        try {
            document = reader.read(source.bytes());
        } catch (YamlSyntaxException e) {
            return new FileResult(file, null, null, List.of(new Problem(file, e.position(), "", e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        Set<String> flagged = new LinkedHashSet<>();
        findUnsafeCharacters(file, document, document.root(), "", problems, flagged);
        problems.addAll(schema.check(file, document, flagged));
        EntryMapper mapper = new EntryMapper(file, document, flagged, secrets, egress);
        ServerEntry entry = mapper.map();
        problems.addAll(mapper.problems());
        String path = document.root().path("path").asString("");
        boolean pathChecked =
                problems.stream().noneMatch(problem -> problem.field().equals("path"));
        if (pathChecked && !path.equals("/" + source.idFromName())) {
            problems.add(new Problem(
                    file,
                    document.positionOf("/path"),
                    "path",
                    "'" + path
                            + "' does not match the file name; name the file " + path.substring(1)
                            + ".yaml or set path: /"
                            + UnsafeCharacters.escape(source.idFromName())));
        }
        return new FileResult(file, document, problems.isEmpty() ? entry : null, problems);
    }

    /** Every string, key or value, is checked: the schema cannot see keys it rejects as unknown. */
    private static void findUnsafeCharacters(
            String file,
            YamlDocument document,
            JsonNode node,
            String pointer,
            List<Problem> problems,
            Set<String> flagged) {
        if (node.isString()) {
            reportUnsafe(file, document, node.asString(), pointer, "", problems, flagged);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String child = JsonPointers.child(pointer, property.getKey());
                reportUnsafe(file, document, property.getKey(), child, "key ", problems, flagged);
                findUnsafeCharacters(file, document, property.getValue(), child, problems, flagged);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findUnsafeCharacters(file, document, node.get(i), JsonPointers.child(pointer, i), problems, flagged);
            }
        }
    }

    private static void reportUnsafe(
            String file,
            YamlDocument document,
            String text,
            String pointer,
            String what,
            List<Problem> problems,
            Set<String> flagged) {
        int index = UnsafeCharacters.indexOfFirst(text);
        if (index >= 0 && flagged.add(pointer)) {
            problems.add(new Problem(
                    file,
                    what.isEmpty() ? document.positionOf(pointer) : document.positionOfKey(pointer),
                    JsonPointers.toFieldName(pointer),
                    what + "contains " + UnsafeCharacters.describe(text.codePointAt(index)) + " at character "
                            + (text.codePointCount(0, index) + 1) + "; no string may contain control, invisible "
                            + "or bidirectional formatting characters (write descriptions on one line)"));
        }
    }

    private static List<Problem> duplicateIds(List<FileResult> results) {
        Map<ServerId, FileResult> firstById = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (FileResult result : results) {
            if (result.entry() == null) {
                continue;
            }
            FileResult first = firstById.putIfAbsent(result.entry().id(), result);
            if (first != null) {
                problems.add(new Problem(
                        result.file(),
                        result.document().positionOf("/path"),
                        "path",
                        "'"
                                + result.entry().path() + "' is already used by " + first.file() + ":"
                                + first.document().positionOf("/path") + "; every server needs its own path"));
            }
        }
        return problems;
    }

    private static List<Path> entryFiles(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(path -> !path.equals(directory))
                    .filter(path ->
                            SourceFile.isEntryFileName(path.getFileName().toString()))
                    .filter(path -> !isHidden(directory.relativize(path)))
                    .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
