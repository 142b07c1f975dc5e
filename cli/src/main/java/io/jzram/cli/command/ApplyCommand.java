package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramRegistry;
import io.jzram.config.Applier;
import io.jzram.config.ApplyFailedException;
import io.jzram.config.Config;
import io.jzram.config.ConfigError;
import io.jzram.config.ConfigException;
import io.jzram.config.ConfigFile;
import io.jzram.config.ConfigParser;
import io.jzram.config.Plan;
import io.jzram.config.Planner;
import io.jzram.config.RegistryOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apply FILE}: a configuration file made true on the running server, all or nothing. The
 * work is in {@code io.jzram.config} (parse, validate, plan, apply with rollback); this reads the
 * file where the user is, prints the plan and the outcome.
 */
@Command(name = "apply",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        header = "Make the running server's devices what a configuration file says, all or nothing.",
        description = {
            "Reads FILE (see config/README.md: [server] and [[device]] tables in TOML), checks it whole, and prints "
                    + "the plan: the devices to create, resize or change (a new disksize, algorithm or number of streams "
                    + "resets the device: its data is lost; mem_limit and exported change live), and those the file does not list. "
                    + "Then it applies the plan. If any step fails, the steps already done are undone in reverse order, "
                    + "so every device has its settings from before (a device that was reset stays empty), and the "
                    + "error names the file and line.",
            "",
            "Devices not in the file are kept unless --prune. Resetting or removing a device that initiators "
                    + "have open is refused unless --force; a device that is not set up has no data and is never refused for that. "
                    + "Unexporting a device that initiators have open (exported = false) is refused unless --force too. "
                    + "An invalid file changes nothing: every error is printed as FILE:LINE:COLUMN: message.",
            "",
            "[server] settings take effect when the server starts (serve --config); apply notes those that "
                    + "differ from the running server's. FILE is read here, relative to the current directory; its "
                    + "control_socket says where the server is, unless --control-socket does.",
        })
final class ApplyCommand extends ServerCommand implements ClientSide {

    @Option(names = {"-n", "--dry-run"}, description = "print the plan, change nothing")
    boolean dryRun;

    @Option(names = "--prune", description = "remove the devices that FILE does not list")
    boolean prune;

    @Option(names = "--force", description = "reset, remove or unexport devices even while initiators use them, after their in-flight I/O")
    boolean force;

    /** FILE's content, read by the client: the server resolves no client path. */
    @Option(names = "--file-content", hidden = true, paramLabel = "TEXT")
    String content;

    @Parameters(paramLabel = "FILE", description = "the configuration file (TOML)")
    Path file;

    @Override
    public Request clientRequest(CliContext context) {
        String text = SaveConfigCommand.read(file);
        List<String> argv = new ArrayList<>(List.of("apply"));
        if (dryRun) {
            argv.add("--dry-run");
        }
        if (prune) {
            argv.add("--prune");
        }
        if (force) {
            argv.add("--force");
        }
        argv.add("--file-content=" + text);
        argv.add("--");
        argv.add(file.toString());
        return new Request(argv, controlSocketOf(file.toString(), text), null);
    }

    /** The control_socket a file names, if it can be read that far (the server reports the file's errors). */
    static Path controlSocketOf(String name, String text) {
        ConfigParser.Document doc = ConfigParser.parse(name, text);
        if (doc.server() != null && doc.server().get("control_socket") != null
                && doc.server().get("control_socket").value() instanceof String s && s.startsWith("/")) {
            return Path.of(s);
        }
        return null;
    }

    @Override
    public Integer call() {
        String name = file.toString();
        String text = content != null ? content : SaveConfigCommand.read(file);
        ConfigFile desired;
        try {
            desired = Config.load(name, text);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err().println(error);
            }
            return fail("apply: " + name + ": " + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + ", nothing applied");
        }
        Engine engine = engine();
        // The registry's set-up lock keeps other set-ups (zramctl's find-and-set-up) out while the
        // plan is made and applied.
        try (ZramRegistry.Exclusive held = engine.registry().exclusive()) {
            RegistryOps ops = engine.ops();
            Plan plan = Planner.plan(desired, ops.devices(), engine.serverConfig(), ops.access(), new Planner.Options(force, prune),
                    ops.defaultStreams());
            plan.lines().forEach(out()::println);
            out().flush();
            if (!plan.isApplicable()) {
                for (ConfigError refusal : plan.refusals()) {
                    err().println(refusal);
                }
                return fail("apply: " + name + ": refused, nothing applied");
            }
            if (dryRun) {
                out().println("dry run: nothing applied");
                out().flush();
                return ExitCodes.OK;
            }
            if (plan.isEmpty()) {
                return ExitCodes.OK;
            }
            try {
                Applier.apply(plan, ops, Applier.Listener.NONE);
            } catch (ApplyFailedException e) {
                e.lines().forEach(err()::println);
                int status = e.getCause() instanceof InterruptedException ? ExitCodes.INTERRUPTED : ExitCodes.FAILURE;
                return fail(status, "apply: " + name + ": " + (e.rolledBack() ? "nothing applied" : "failed, and the rollback too"));
            }
            out().println("applied " + plan.steps().size() + " change" + (plan.steps().size() == 1 ? "" : "s"));
            out().flush();
        }
        return ExitCodes.OK;
    }
}
