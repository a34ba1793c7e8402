package dev.mcpgw.bench;

/**
 * Benchmark entry point. From the repository root, after {@code mvn -B -q package -DskipTests}:
 * <pre>
 *   java -jar bench/target/bench.jar validate [runs]   # ./mcpgw validate on 1k and 10k entries
 *   java -jar bench/target/bench.jar compile [runs]    # ./mcpgw compile on 1k and 10k entries, and nginx -t
 *   java -jar bench/target/bench.jar gateway [seconds] [workers] [access] [shared|isolated]  # MCP load direct vs through nginx
 *   java -jar bench/target/bench.jar probe [servers] [concurrency] # probe rounds over many servers
 *   java -jar bench/target/bench.jar site [runs]       # the website for 10,000 servers x 20 tools
 *   java -jar bench/target/bench.jar runtime [servers] [clients]  # WebSocket fan-out, memory, toggle latency
 *   java -jar bench/target/bench.jar apply [toggles]   # serve --apply: toggle request to live in nginx
 *   java -jar bench/target/bench.jar up [runs]         # ./mcpgw up: from the command to a serving stack
 *   java -jar bench/target/bench.jar discovery [quality|tune|speed|all]  # quality on the evaluation set (tune: quantized only); speed over 10k tools
 *   java -jar bench/target/bench.jar discovery sets [eval,tune,heldout] [chosen|grid|combo|more|fp32]  # rankings compared per set
 *   java -jar bench/target/bench.jar discovery models-speed [minilm,bge,minilm+bge]  # query latency per model over 10k tools
 *   java -jar bench/target/bench.jar discovery misses [tune|heldout|eval]  # the shipped ranking's misses, Recall@1 by kind
 * </pre>
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "";
        switch (which) {
            case "validate", "compile" -> CliTimings.run(which, args.length > 1 ? Integer.parseInt(args[1]) : 7);
            case "site" -> SiteBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            case "probe" ->
                ProbeRoundBench.run(
                        args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 32);
            case "gateway" -> gateway(args);
            case "runtime" ->
                RuntimeBench.run(
                        args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 1000);
            case "live" ->
                LiveSiteBench.run(
                        args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 10,
                        args.length > 3 ? Integer.parseInt(args[3]) : 20);
            case "apply" -> RuntimeBench.apply(args.length > 1 ? Integer.parseInt(args[1]) : 20);
            case "up" -> UpBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            case "discovery" -> {
                String part = args.length > 1 ? args[1] : "all";
                if (part.equals("misses")) {
                    DiscoverySets.misses(DiscoverySets.sets(args.length > 2 ? args[2] : "tune")
                            .get(0));
                    return;
                }
                if (part.equals("models-speed")) {
                    DiscoverySets.speed(
                            java.util.List.of((args.length > 2 ? args[2] : "minilm,bge,minilm+bge").split(",")));
                    return;
                }
                if (part.equals("sets")) {
                    DiscoverySets.run(
                            DiscoverySets.sets(args.length > 2 ? args[2] : "eval,tune,heldout"),
                            args.length > 3 ? args[3] : "chosen");
                    return;
                }
                DiscoveryBench.run(
                        !part.equals("speed"), part.equals("all") || part.equals("speed"), !part.equals("tune"));
            }
            default -> {
                System.err.println(
                        "usage: java -jar bench/target/bench.jar validate|compile [runs] | gateway [seconds] [auto|N] [open|server|tools] [shared|isolated] [2025|2026] | probe [servers] [concurrency] | site [runs] | runtime [servers] [clients] | live [servers] [pages] [changes] | apply [toggles] | up [runs] | discovery [quality|tune|speed|all] | discovery sets|models-speed|misses ...");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void gateway(String[] args) throws Exception {
        try {
            GatewayOverhead.run(
                    args.length > 1 ? Integer.parseInt(args[1]) : 10,
                    args.length > 2 ? args[2] : "auto",
                    args.length > 3
                            ? GatewayOverhead.Access.valueOf(args[3].toUpperCase(java.util.Locale.ROOT))
                            : GatewayOverhead.Access.OPEN,
                    args.length > 4
                            ? GatewayOverhead.Arrangement.valueOf(args[4].toUpperCase(java.util.Locale.ROOT))
                            : GatewayOverhead.Arrangement.SHARED,
                    args.length > 5 && args[5].equals("2026"));
        } catch (CpuBudget.Unavailable e) {
            System.err.println("gateway isolated: " + e.getMessage());
            System.exit(2);
        }
    }
}
