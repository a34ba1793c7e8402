package dev.mcpgw.cli;

import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.PrintWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How {@code mcpgw validate} prints its report. */
enum ReportFormat {

    /** One {@code FILE:LINE:COL: FIELD: MESSAGE} line per problem, then the summary. */
    text {
        @Override
        void write(ValidationReport report, PrintWriter out) {
            report.problems().forEach(out::println);
            out.println(report.summary());
        }
    },

    /** GitHub Actions workflow commands, which become annotations on the pull request's files. */
    github {
        @Override
        void write(ValidationReport report, PrintWriter out) {
            for (Problem problem : report.problems()) {
                StringBuilder command = new StringBuilder("::error file=").append(property(problem.file()));
                if (problem.position() != null) {
                    command.append(",line=").append(problem.position().line())
                            .append(",col=").append(problem.position().column());
                }
                if (!problem.field().isEmpty()) {
                    command.append(",title=").append(property(problem.field()));
                }
                out.println(command.append("::").append(data(problem.message())));
            }
            out.println(report.summary());
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
        void write(ValidationReport report, PrintWriter out) {
            JsonMapper mapper = JsonMapper.shared();
            ObjectNode root = mapper.createObjectNode();
            root.put("valid", report.valid());
            root.put("summary", report.summary());
            root.put("files", report.files().size());
            ArrayNode problems = root.putArray("problems");
            for (Problem problem : report.problems()) {
                ObjectNode item = problems.addObject().put("file", problem.file());
                if (problem.position() != null) {
                    item.put("line", problem.position().line()).put("column", problem.position().column());
                }
                item.put("field", problem.field()).put("message", problem.message());
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
    };

    abstract void write(ValidationReport report, PrintWriter out);
}
