package dev.mcpgw.cli;

import dev.mcpgw.core.validation.Problem;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How {@code mcpgw validate} (and {@code compile}, {@code deploy} when they refuse) print problems. */
enum ReportFormat {

    /** One {@code FILE:LINE:COL: FIELD: MESSAGE} line per problem, then the summary. */
    text {
        @Override
        void write(List<Problem> problems, String summary, int files, PrintWriter out) {
            problems.forEach(out::println);
            out.println(summary);
        }
    },

    /** GitHub Actions workflow commands, which become annotations on the pull request's files. */
    github {
        @Override
        void write(List<Problem> problems, String summary, int files, PrintWriter out) {
            for (Problem problem : problems) {
                StringBuilder command = new StringBuilder("::error file=").append(property(problem.file()));
                if (problem.position() != null) {
                    command.append(",line=")
                            .append(problem.position().line())
                            .append(",col=")
                            .append(problem.position().column());
                }
                if (!problem.field().isEmpty()) {
                    command.append(",title=").append(property(problem.field()));
                }
                out.println(command.append("::").append(data(problem.message())));
            }
            out.println(summary);
        }

        // https://docs.github.com/actions/reference/workflow-commands-for-github-actions (escaping rules)
        private static String data(String text) {
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
        }

        private static String property(String text) {
            return data(text).replace(":", "%3A").replace(",", "%2C");
        }
    },

    /** {@code {"valid":…,"summary":…,"files":N,"problems":[{"file","line","column","field","message"}]}}. */
    json {
        @Override
        void write(List<Problem> problems, String summary, int files, PrintWriter out) {
            JsonMapper mapper = JsonMapper.shared();
            ObjectNode root = mapper.createObjectNode();
            root.put("valid", problems.isEmpty());
            root.put("summary", summary);
            root.put("files", files);
            ArrayNode items = root.putArray("problems");
            for (Problem problem : problems) {
                ObjectNode item = items.addObject().put("file", problem.file());
                if (problem.position() != null) {
                    item.put("line", problem.position().line())
                            .put("column", problem.position().column());
                }
                item.put("field", problem.field()).put("message", problem.message());
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
    };

    abstract void write(List<Problem> problems, String summary, int files, PrintWriter out);
}
