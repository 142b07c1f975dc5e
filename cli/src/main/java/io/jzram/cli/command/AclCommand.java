package io.jzram.cli.command;

import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.format.Table;
import io.jzram.cli.server.Engine;
import io.jzram.config.AccessConfig;
import io.jzram.config.AccessEdits;
import io.jzram.config.ChapCredentials;
import io.jzram.config.InitiatorConfig;
import io.jzram.config.Portals;
import io.jzram.config.RegistryOps;
import io.jzram.config.ServerConfig;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code acl ACTION ...}: the access list of the running target, live. The entries are checked by
 * the configuration file's rules ({@link AccessEdits}) and put in force by the same path as
 * {@code apply} ({@code RegistryOps.setAccess}): an initiator removed, or a device taken from its
 * list, loses its access at once. Secrets are read from files by the server, never taken from the
 * command line.
 */
@Command(name = "acl",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        header = "Show or change who may log in: initiators, CHAP, LUN masking.",
        description = {
            "ACTION is one of:",
            "  list                      the entries: INITIATOR, AUTH (none, CHAP user, mutual CHAP users), DEVICES",
            "  add NAME [--devices D,..] let initiator NAME log in (without CHAP until set-chap)",
            "  remove NAME               take NAME off the list: its sessions end at once",
            "  set-chap NAME --user U --secret-file F [--mutual-user U --mutual-secret-file F]",
            "                            NAME must log in with CHAP (mutual: the target proves itself too)",
            "  clear-chap NAME           NAME logs in without CHAP",
            "  set-devices NAME (--all | --devices D,..)   the devices NAME sees (LUN masking)",
            "  discovery (--user U --secret-file F [--mutual-user U --mutual-secret-file F] | --open)",
            "                            CHAP for discovery sessions, or open discovery",
            "",
            "Once any entry exists only listed initiators may log in. Secrets are read by the server from files "
                    + "(absolute paths, readable by their owner only, 12 to 255 bytes), never given on the command line. "
                    + "The rules are those of the configuration file's [[initiator]] and [discovery] tables "
                    + "(config/README.md); save-config writes the list back. Removing the last entry while the server "
                    + "listens beyond loopback is refused unless it was started with --allow-any-initiator.",
        })
final class AclCommand extends ServerCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, add, remove, set-chap, clear-chap, set-devices, discovery")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the initiator's iSCSI name")
    String name;

    @Option(names = "--user", paramLabel = "USER", description = "the CHAP user the initiator logs in as")
    String user;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "the initiator's CHAP secret, read from this file by the server")
    String secretFile;

    @Option(names = "--mutual-user", paramLabel = "USER", description = "mutual CHAP: the user the target answers as")
    String mutualUser;

    @Option(names = "--mutual-secret-file", paramLabel = "FILE", description = "mutual CHAP: the target's secret, from this file")
    String mutualSecretFile;

    @Option(names = "--devices", paramLabel = "DEVICE", split = ",", description = "the devices the initiator sees (zramN), comma-separated")
    List<String> devices;

    @Option(names = "--all", description = "set-devices: every exported device")
    boolean all;

    @Option(names = "--open", description = "discovery: open to any initiator")
    boolean open;

    @Override
    public Integer call() {
        Engine engine = engine();
        if (engine.luns() == null) {
            return fail("acl: no iSCSI target");
        }
        try (ZramRegistry.Exclusive held = engine.registry().exclusive()) {
            RegistryOps ops = engine.ops();
            AccessConfig now = ops.access();
            if ("list".equals(action)) {
                return list(now);
            }
            AccessConfig next = change(now);
            ServerConfig server = engine.serverConfig();
            if (server != null && !now.isOpen() && next.exposes(server.listen(), Boolean.TRUE.equals(server.allowAnyInitiator()))) {
                // Ends here, nothing changed: the same rule as serve's and apply's.
                return fail("acl " + action + ": the list would be empty while the server listens on "
                        + Portals.format(server.listen()) + ": any initiator could log in (add another entry first)");
            }
            ops.setAccess(next);
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            // Ends here, nothing changed: the rules' messages (never a secret), one a line.
            for (String line : e.getMessage().split("\n")) {
                warn("acl " + action + ": " + line);
            }
            return ExitCodes.FAILURE;
        } catch (ZramException e) {
            // Ends here, nothing changed: the target refused the list (e.g. a secret in two roles).
            return fail("acl " + action + ": " + e.getMessage());
        }
    }

    /** The new list for {@link #action}; IllegalArgumentException for a bad request. */
    private AccessConfig change(AccessConfig now) {
        switch (action) {
            case "add" -> {
                needName();
                if (now.initiator(name).isPresent()) {
                    throw new IllegalArgumentException(name + ": on the access list already (set-chap, set-devices change it)");
                }
                return AccessEdits.put(now, AccessEdits.initiator(name, null, devices));
            }
            case "remove" -> {
                needName();
                return AccessEdits.remove(now, name);
            }
            case "set-chap", "clear-chap" -> {
                InitiatorConfig had = existing(now);
                AccessEdits.ChapFiles chap = action.equals("clear-chap") ? null : chapFiles();
                return AccessEdits.put(now, AccessEdits.initiator(had.name(), chap, names(had.devices())));
            }
            case "set-devices" -> {
                InitiatorConfig had = existing(now);
                if (all == (devices != null)) {
                    throw new IllegalArgumentException("give --all or --devices");
                }
                InitiatorConfig entry = AccessEdits.initiator(had.name(), null, all ? null : devices);
                return AccessEdits.put(now, new InitiatorConfig(had.name(), had.chap(), entry.devices(), null));
            }
            case "discovery" -> {
                if (open == (user != null || secretFile != null)) {
                    throw new IllegalArgumentException("give --user and --secret-file, or --open");
                }
                ChapCredentials chap = open ? null : AccessEdits.discovery(chapFiles());
                return AccessEdits.withDiscovery(now, chap);
            }
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "' (list, add, remove, set-chap, clear-chap, set-devices, discovery)");
        }
    }

    private void needName() {
        if (name == null) {
            throw new IllegalArgumentException("which initiator? give its iSCSI name");
        }
    }

    private InitiatorConfig existing(AccessConfig now) {
        needName();
        return now.initiator(name).orElseThrow(() -> new IllegalArgumentException(name + ": not on the access list (add it first)"));
    }

    private AccessEdits.ChapFiles chapFiles() {
        if (user == null || secretFile == null) {
            throw new IllegalArgumentException("CHAP needs --user and --secret-file");
        }
        return new AccessEdits.ChapFiles(user, secretFile, mutualUser, mutualSecretFile);
    }

    private static List<String> names(List<Integer> ids) {
        return ids == null ? null : ids.stream().map(id -> "zram" + id).toList();
    }

    private int list(AccessConfig now) {
        Table t = new Table(List.of(
                new Table.Column("INITIATOR", 0.5, false),
                new Table.Column("AUTH", 0.3, false),
                new Table.Column("DEVICES", 0.2, false)));
        for (InitiatorConfig i : now.initiators()) {
            t.addRow(i.name(), auth(i.chap()),
                    i.devices() == null ? "all" : i.devices().isEmpty() ? "none"
                            : i.devices().stream().map(id -> "zram" + id).collect(Collectors.joining(",")));
        }
        out().print(t.render());
        List<String> notes = new ArrayList<>();
        notes.add(now.isOpen() ? "no entries: any initiator may log in" : now.initiators().size() + " entr"
                + (now.initiators().size() == 1 ? "y" : "ies") + ": only these initiators may log in");
        notes.add("discovery: " + (now.discovery() == null ? "open" : auth(now.discovery())));
        notes.forEach(out()::println);
        out().flush();
        return ExitCodes.OK;
    }

    /** {@code none}, {@code CHAP web}, {@code mutual CHAP web/jzram}: users only, never a secret. */
    private static String auth(ChapCredentials chap) {
        return chap == null ? "none" : chap.mutual() ? "mutual CHAP " + chap.user() + "/" + chap.mutualUser() : "CHAP " + chap.user();
    }
}
