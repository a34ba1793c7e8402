package dev.mcpgw.runtime.auth;

import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Who a request comes from: a signed-in person (session cookie) or a program (bearer token). Administrators
 * are the ADMIN_USER and members of the {@code admins} group; they hold every right, others the rights
 * access.yaml grants their groups.
 */
public record Principal(String user, Set<String> groups, Via via) {

    public static final String ADMINS = "admins";

    public enum Via {
        SESSION,
        TOKEN
    }

    public Principal {
        groups = Set.copyOf(groups);
    }

    public boolean isAdmin() {
        return groups.contains(ADMINS);
    }

    /** Its groups for a sentence: sorted, comma-separated, or "none". */
    public String groupsInWords() {
        return groups.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(groups));
    }

    /** The author of the commits this principal asks for; a user without an e-mail gets an unroutable one. */
    public PersonIdent asAuthor() {
        return new PersonIdent(user, user.contains("@") ? user : user + "@users.mcpgw.invalid");
    }
}
