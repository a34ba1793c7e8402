package dev.mcpgw.core.model;

/** Where the gateway reads a secret from: never the secret itself. */
public sealed interface SecretReference {

    /** An environment variable of the gateway process. */
    record Env(String variable) implements SecretReference {
        public Env {
            Syntax.require(Syntax.ENV_NAME, variable, "environment variable name");
        }
    }

    /** A file on the gateway host, such as a mounted Kubernetes secret. */
    record File(String path) implements SecretReference {
        public File {
            Syntax.require(Syntax.FILE_PATH, path, "absolute file path");
            for (String segment : path.split("/")) {
                if (segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("the path may not contain '.' or '..' segments");
                }
            }
        }
    }
}
