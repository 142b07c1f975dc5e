import io.jzram.core.ZramDevice;
import io.jzram.core.ZramRegistry;
import io.jzram.target.iscsi.IscsiServer;
import io.jzram.target.iscsi.IscsiServerSettings;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The benchmark's jzram target until {@code ./jzram serve} exists: one zram device (LUN 0) of
 * the given size and algorithm behind an iSCSI target, as a single-file program:
 *
 * <pre>java -cp CLASSPATH bench/iscsi/ZramTargetRunner.java --listen 127.0.0.1:PORT --size 256M
 *      --algorithm lz4 --iqn IQN --stat-file FILE --max-seconds N</pre>
 *
 * Prints {@code READY <port>} once listening. Every 500 ms (and at exit) it replaces
 * {@code --stat-file} with two lines, {@code mm_stat <the sysfs line>} and
 * {@code io_stat <the sysfs line>}. Stops after {@code --max-seconds} or on SIGTERM.
 */
public final class ZramTargetRunner {
    public static void main(String[] args) throws Exception {
        String listen = "127.0.0.1:0";
        long size = 256L << 20;
        String algorithm = "lz4";
        String iqn = "iqn.2026-11.io.jzram:bench";
        Path statFile = null;
        long maxSeconds = 3600;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--listen" -> { listen = v; i++; }
                case "--size" -> { size = parseSize(v); i++; }
                case "--algorithm" -> { algorithm = v; i++; }
                case "--iqn" -> { iqn = v; i++; }
                case "--stat-file" -> { statFile = Path.of(v); i++; }
                case "--max-seconds" -> { maxSeconds = Long.parseLong(v); i++; }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int colon = listen.lastIndexOf(':');
        InetAddress host = InetAddress.getByName(listen.substring(0, colon));
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("the benchmark target listens on loopback only: " + listen);
        }
        int port = Integer.parseInt(listen.substring(colon + 1));

        ZramRegistry registry = new ZramRegistry();
        ZramDevice device = registry.hotAdd();
        device.setAlgorithm(algorithm);
        device.init(size);
        ZramCommandSet commandSet = new ZramCommandSet(registry, new LunIdentity(iqn));
        IscsiServerSettings settings = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(host, port))
                .withTargetName(iqn);
        IscsiServer server = new IscsiServer(settings, commandSet);
        server.start();

        final Path stats = statFile;
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            server.close();
            commandSet.close();
            writeStats(stats, device);
        }));

        System.out.println("READY " + server.boundAddress().getPort() + " " + device.name() + " "
                + device.algorithm() + " " + device.diskSize());
        System.out.flush();
        long end = System.nanoTime() + maxSeconds * 1_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                writeStats(stats, device);
                Thread.sleep(500);
            }
            System.err.println("ZramTargetRunner: --max-seconds " + maxSeconds + " reached, stopping");
        } catch (InterruptedException e) {
            // shutting down
        }
        System.exit(0);
    }

    private static synchronized void writeStats(Path file, ZramDevice device) {
        if (file == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, "mm_stat " + device.mmStat() + "\nio_stat " + device.ioStat() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            System.err.println("ZramTargetRunner: cannot write " + file + ": " + e);
        }
    }

    private static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            default -> { }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
