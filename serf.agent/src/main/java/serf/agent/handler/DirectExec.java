package serf.agent.handler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Running a handler that is a bare absolute path ({@code /etc/serf/handler.sh}, the common case)
 * without {@code /bin/sh -c} in front of it, where {@code /bin/sh} is dash (Debian, Ubuntu). Go's
 * agent starts the shell, and the shell forks and executes the file: one process start more per
 * event than needed, a few milliseconds of CPU on every node for every event. What the script sees
 * is kept as the shell would have given it: the same file, arguments and working directory, and the
 * environment without the variables a POSIX shell does not pass on (names that are not shell
 * identifiers), with {@code PWD} set as the shell sets it and {@code IFS}, {@code OPTIND} and
 * {@code PPID} reset as the shell resets them when they were inherited. Only its parent process
 * differs: the agent rather than a shell.
 *
 * @param pwd what the shell would export as {@code PWD}: the inherited value when it names the
 *            working directory, else the working directory's real path
 */
record DirectExec(String pwd) {

    private static final List<String> SHELL = List.of("/bin/sh", "-c");

    /** How to run bare paths for this shell and working directory, or null to always use the shell. */
    static DirectExec forShell(List<String> shell, Path workingDir) {
        if (!shell.equals(SHELL)) {
            return null; // another shell (or Windows' cmd): its rules are not ours to imitate
        }
        try {
            if (!Path.of("/bin/sh").toRealPath().getFileName().toString().equals("dash")) {
                return null; // the environment rules below are dash's (bash as sh adds SHLVL and _, say)
            }
            Path cwd = workingDir != null ? workingDir.toAbsolutePath() : Path.of(System.getProperty("user.dir"));
            String inherited = System.getenv("PWD");
            return new DirectExec(names(inherited, cwd) ? inherited : cwd.toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean names(String pwd, Path cwd) {
        if (pwd == null || !pwd.startsWith("/")) {
            return false;
        }
        try {
            return Files.isSameFile(Path.of(pwd), cwd);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the shell would take {@code script} as one word naming a file: an absolute path of
     * characters with no meaning to it (no space, quote, {@code $}, glob, redirection, ...).
     */
    static boolean isBarePath(String script) {
        if (script.length() < 2 || script.charAt(0) != '/') {
            return false;
        }
        for (int i = 1; i < script.length(); i++) {
            char c = script.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ',' || c == ':' || c == '@' || c == '%';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /** Turns the environment the shell would have received into the one it would have passed on. */
    void adjust(Map<String, String> env) {
        env.keySet().removeIf(name -> !isIdentifier(name));
        env.put("PWD", pwd);
        env.computeIfPresent("IFS", (k, v) -> " \t\n");
        env.computeIfPresent("OPTIND", (k, v) -> "1");
        env.computeIfPresent("PPID", (k, v) -> Long.toString(ProcessHandle.current().pid()));
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
