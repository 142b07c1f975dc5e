package io.jzram.cli.control;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the control socket is: {@code --control-socket PATH}, else {@code $JZRAM_CONTROL_SOCKET},
 * else {@code $XDG_RUNTIME_DIR/jzram/control.sock} (a per-user directory systemd provides), else
 * {@code /run/jzram/control.sock} (root's services).
 */
public final class ControlPaths {
    public static final String ENV_SOCKET = "JZRAM_CONTROL_SOCKET";
    public static final Path SYSTEM_SOCKET = Path.of("/run/jzram/control.sock");

    private ControlPaths() {}

    public static Path resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(ENV_SOCKET);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            return Path.of(runtime, "jzram", "control.sock");
        }
        return SYSTEM_SOCKET;
    }
}
