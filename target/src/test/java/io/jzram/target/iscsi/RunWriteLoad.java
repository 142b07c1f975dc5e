package io.jzram.target.iscsi;

import java.net.InetSocketAddress;
import java.util.Random;

import io.jzram.target.iscsi.testinit.IoPipeline;
import io.jzram.target.iscsi.testinit.TestInitiator;

/**
 * Manual load: WRITE(16)s of args[2] bytes at queue depth args[3] for args[4] seconds against
 * 127.0.0.1:args[0], target args[1]; random offsets when args[5] is "random". Prints IOPS and MB/s.
 */
public final class RunWriteLoad {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[2]);
        int depth = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        boolean random = args.length > 5 && args[5].equals("random");
        try (TestInitiator ini = TestInitiator.connect(new InetSocketAddress("127.0.0.1", port))) {
            TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
            o.targetName = args[1];
            o.initiatorName = "iqn.2026-11.io.jzram.test:load";
            ini.login(o);
            IoPipeline io = new IoPipeline(ini);
            byte[] data = new byte[size];
            new Random(1).nextBytes(data);
            long blocks = 64L * 1024 * 1024 / 512 - size / 512;
            Random r = new Random(2);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long done = 0;
            long next = 0;
            while (System.nanoTime() < end) {
                while (io.pendingCount() < depth) {
                    long lba = random ? (r.nextLong(blocks) & ~7L) : next;
                    next = (next + size / 512) % blocks;
                    io.write(lba, data);
                }
                io.pumpOne();
                done = Math.max(done, 0);
            }
            io.awaitAll();
            long count = ini.cmdSn; // commands issued since login (close enough for a rate)
            System.out.printf("%d writes of %d bytes at QD %d in %d s: %.0f IOPS, %.0f MB/s%n", count, size, depth,
                    seconds, count / (double) seconds, count * (double) size / seconds / 1e6);
        }
    }
}
