package io.jzram.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.jzram.cli.CliContext;
import io.jzram.cli.dispatch.Dispatcher;
import io.jzram.cli.dispatch.LocalDispatcher;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("the interactive shell, driven through a dumb terminal")
@Timeout(30)
class ShellTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final ZramRegistry registry = new ZramRegistry();
    final ZramCommandSet target = new ZramCommandSet(registry, new LunIdentity("iqn.2026-11.io.jzram:test"));
    final AtomicInteger sessions = new AtomicInteger();
    final CountDownLatch blocking = new CountDownLatch(1);
    TerminalDriver term;
    Path history;
    CompletableFuture<Integer> exit;

    /** A command that runs until interrupted, as a long compact or drain would. */
    @CommandLine.Command(name = "block")
    final class Block implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("blocking");
            spec.commandLine().getOut().flush();
            blocking.countDown();
            try {
                Thread.sleep(60_000);
                return 0;
            } catch (InterruptedException e) {
                spec.commandLine().getErr().println("block: interrupted");
                return 130;
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        term = new TerminalDriver();
        history = dir.resolve("history");
        Engine engine = new Engine(registry, () -> List.of(), target.luns(), Duration.ofSeconds(5));
        CliContext context = CliContext.client(Map.of(), InputStream.nullInputStream(), false, false).inServer(engine, false, true);
        LocalDispatcher dispatcher = new LocalDispatcher(context, false, 80, cl -> cl.addSubcommand("block", new Block()));
        CommandLine model = dispatcher.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()));
        Shell.Backend backend = new Shell.Backend() {
            @Override
            public Dispatcher dispatcher() {
                return dispatcher;
            }

            @Override
            public List<String> deviceNames() {
                return registry.devices().stream().map(ZramDevice::name).toList();
            }

            @Override
            public void interrupt(Thread shellThread) {
                shellThread.interrupt();
            }

            @Override
            public String leaveQuestion() {
                return sessions.get() == 0 ? null : sessions.get() + " sessions are logged in. Stop the server?";
            }
        };
        Shell shell = new Shell(term.terminal, history, model, backend, Shell.banner("test", null));
        exit = CompletableFuture.supplyAsync(shell::run);
        term.await("jzram> ", WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        term.hangUp();
        exit.get(10, TimeUnit.SECONDS);
        term.close();
        target.close();
        for (ZramDevice d : registry.devices()) {
            registry.hotRemove(d.id(), true, Duration.ofSeconds(5));
        }
    }

    @Test
    void runs_commands_with_their_output_and_leaves_on_exit() throws Exception {
        assertThat(term.screen()).contains("jzram test shell: 'help' lists commands");
        term.type("zramctl -f -s 64M -t 1\n");
        term.await("/dev/zram0", WAIT);
        term.type("zramctl --raw -o NAME,DISKSIZE\n");
        term.await("NAME DISKSIZE\n/dev/zram0 64M\n", WAIT);
        term.type("stat zram7\n");
        term.await("jzram: zram7: No such device", WAIT);
        term.type("exit\n");
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(1); // the last command's status
    }

    @Test
    void help_is_there() throws Exception {
        term.type("help\n");
        term.await("Commands:", WAIT);
        term.type("help zramctl\n");
        term.await("Available output columns:", WAIT);
    }

    @Test
    void keeps_history_in_its_file() throws Exception {
        term.type("hot-add\n");
        term.await("zram0", WAIT);
        term.type("zramctl\n");
        term.type("exit\n");
        exit.get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(history)).anyMatch(l -> l.endsWith("hot-add")).anyMatch(l -> l.endsWith("zramctl"));
    }

    @Test
    void ctrl_c_drops_the_line_being_typed() throws Exception {
        term.type("hot-remove zram0");
        term.awaitRead(WAIT);
        term.type("\u0003");
        term.awaitRead(WAIT);
        term.type("hot-add\n");
        term.await("zram0\n", WAIT);
        assertThat(term.screen()).doesNotContain("No such device");
        term.type("exit\n");
        exit.get(10, TimeUnit.SECONDS);
        assertThat(registry.devices()).hasSize(1);
    }

    @Test
    void ctrl_c_interrupts_a_running_command_and_the_shell_goes_on() throws Exception {
        term.type("block\n");
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
        term.type("\u0003");
        term.await("block: interrupted", WAIT);
        term.type("hot-add\n");
        term.await("zram0\n", WAIT);
        assertThat(exit).isNotDone();
    }

    @Test
    void tab_completes_device_names() throws Exception {
        registry.hotAdd();
        registry.hotAdd().init(1 << 20);
        term.type("stat zram1\t\n");
        term.await("zram1: disksize 1M", WAIT);
    }

    @Test
    void ctrl_d_leaves() throws Exception {
        term.type("\u0004");
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void leaving_with_sessions_logged_in_asks_first() throws Exception {
        sessions.set(2);
        term.type("exit\n");
        term.await("2 sessions are logged in. Stop the server? [y/N]", WAIT);
        term.type("n\n");
        term.type("hot-add\n");
        term.await("zram0\n", WAIT);
        assertThat(exit).isNotDone();
        term.type("quit\n");
        term.type("y\n");
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
