package dev.mcpgw.cli;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.core.model.FieldException;
import dev.mcpgw.discovery.RegistryTools;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.discovery.ToolIndex;
import dev.mcpgw.discovery.Tuning;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mcpgw search}: which tools of the registry answer a need. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Find tools by what you need, in plain words.",
        description = {
            "Searches every tool of every enabled server (tools as the status branch lists them) by "
                    + "meaning and by words: two small sentence-embedding models (MiniLM and bge), in-process and offline, combined with BM25. "
                    + "Without QUERY it answers one query per line of standard input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:answered",
            "1:the repository could not be read",
            "2:usage error (empty or too long " + "query, bad --top)"
        })
final class SearchCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.shared();

    @Spec
    private CommandSpec spec;

    @Mixin
    private BranchOptions branches;

    @Parameters(paramLabel = "QUERY", arity = "0..1", description = "What you need, for example \"get a stock quote\".")
    private String query;

    @Option(
            names = "--repo",
            paramLabel = "PATH",
            defaultValue = ".",
            description = "The registry's Git repository (default: the current directory).")
    private Path repo;

    @Option(
            names = "--top",
            paramLabel = "K",
            defaultValue = "5",
            description = "How many tools (1-100, default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--server", paramLabel = "ID", description = "Only tools of these servers.")
    private Set<String> servers = Set.of();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only tools of servers with these tags.")
    private Set<String> tags = Set.of();

    @Option(names = "--json", description = "Print JSON: one array per query.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (query != null) {
            check(query);
        }
        if (!Files.isDirectory(repo)) {
            throw new ParameterException(spec.commandLine(), "--repo: '" + repo + "' is not a directory");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (GitStore store = GitStore.open(repo);
                ToolIndex index = ToolIndex.withDefaultModel(Tuning.DEFAULT)) {
            if (index.status().startsWith("lexical")) {
                spec.commandLine().getErr().println("search: " + index.status());
            }
            RegistryTools.FromGit tools = RegistryTools.fromGit(store, branches.branch, branches.statusBranch);
            tools.unreadable()
                    .forEach(file -> spec.commandLine()
                            .getErr()
                            .println("search: skipping unreadable " + "status file " + file
                                    + " (its server's tools are not searched)"));
            index.updateAll(tools.byServer());
            if (query != null) {
                print(out, query, index.search(check(query)));
                return ExitCodes.OK;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    print(out, line, index.search(check(line)));
                } catch (ParameterException e) {
                    spec.commandLine().getErr().println("search: " + e.getMessage());
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    private SearchQuery check(String text) {
        try {
            return new SearchQuery(text, top, servers, tags);
        } catch (FieldException e) {
            throw new ParameterException(
                    spec.commandLine(), (e.field().equals("top_k") ? "--top" : e.field()) + ": " + e.getMessage());
        }
    }

    private void print(PrintWriter out, String text, List<SearchHit> hits) {
        if (json) {
            ArrayNode results = JSON.createArrayNode();
            for (SearchHit hit : hits) {
                ObjectNode result = results.addObject()
                        .put("server", hit.tool().serverId())
                        .put("tool", hit.tool().toolName())
                        .put("description", hit.tool().toolDescription())
                        .put("score", Math.round(hit.score() * 1000) / 1000.0);
                result.set("input_schema", hit.tool().inputSchema());
            }
            out.println(JSON.writeValueAsString(results));
            return;
        }
        out.println(text);
        if (hits.isEmpty()) {
            out.println("  no matching tools");
        }
        for (SearchHit hit : hits) {
            out.printf(
                    "  %.3f  %s/%s  %s%n",
                    hit.score(),
                    hit.tool().serverId(),
                    hit.tool().toolName(),
                    firstLine(hit.tool().toolDescription()));
        }
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
