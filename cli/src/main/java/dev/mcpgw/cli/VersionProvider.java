package dev.mcpgw.cli;

import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the jar's manifest. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Mcpgw.class.getPackage().getImplementationVersion();
        return new String[] {"mcpgw " + (version == null ? "(development build)" : version)};
    }
}
