package io.jzram.cli.command;

import io.jzram.cli.CliContext;
import io.jzram.cli.ExitCodes;
import io.jzram.cli.Version;
import io.jzram.cli.server.Engine;
import io.jzram.core.ZramRegistry;
import io.jzram.config.ConfigWriter;
import io.jzram.config.RegistryOps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.OpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code save-config [FILE]}: the running configuration, in the file format, for apply and serve --config. */
@Command(name = "save-config",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Write the running configuration as a configuration file.",
        description = {
            "Writes the server's [server] settings, every device (set up or not: size = 0) and who may log in "
                    + "([[initiator]], [discovery]) in the format apply and serve --config read, to FILE (here, relative "
                    + "to the current directory; replaced atomically, mode 0600: it holds the CHAP secrets) or to stdout "
                    + "(without the secrets given in the configuration itself; secret files stay references). Applying "
                    + "it to a fresh server and saving again gives the same file.",
        })
public final class SaveConfigCommand extends ServerCommand implements ClientSide {
    /** The largest file apply reads: far above any configuration, far below a control frame. */
    static final int MAX_FILE = 1 << 20;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "where to write it (default: stdout)")
    Path file;

    /**
     * Set by the client when it writes the output to a file for the user (the server's stdout is
     * then captured, not shown): the secrets are included. Hidden: people give FILE.
     */
    @Option(names = "--with-secrets", hidden = true)
    boolean withSecrets;

    @Override
    public Request clientRequest(CliContext context) {
        return new Request(file == null ? List.of("save-config") : List.of("save-config", "--with-secrets"), null, file);
    }

    @Override
    public Integer call() {
        Engine engine = engine();
        String text;
        try (ZramRegistry.Exclusive held = engine.registry().exclusive()) {
            RegistryOps ops = engine.ops();
            // Secrets go to a file only: this one, or the client's (a client sends --with-secrets only
            // with FILE, and captures the output for it). Typed in the server's own shell the hidden
            // flag would print them, so there it counts for nothing.
            text = ConfigWriter.write(engine.serverConfig(), ops.devices(), ops.access(), ops.defaultStreams(),
                    file != null || withSecrets && !context().inShell());
        }
        if (file == null) {
            out().print(text);
            out().flush();
            return ExitCodes.OK;
        }
        try {
            writeAtomically(file, text);
        } catch (IOException e) {
            return fail("cannot write " + file + ": " + reason(e));
        }
        return ExitCodes.OK;
    }

    /**
     * Replaces {@code file} by {@code text} in one rename: readers see the old file or the new one,
     * never half of one. The file is mode 0600 (a saved configuration holds the CHAP secrets), new
     * or replaced, from its first byte: the temporary file is created so.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (var channel = target.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.newByteChannel(tmp, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.newByteChannel(tmp, options);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a configuration file as UTF-8; a {@link Failure} says why it cannot be. */
    static String read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new Failure("cannot read " + file + ": larger than " + (MAX_FILE >> 20) + " MiB, not a configuration file");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new Failure("cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new Failure("cannot read " + file + ": " + reason(e));
        }
    }

    /** An I/O error as the C library says it. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

}
