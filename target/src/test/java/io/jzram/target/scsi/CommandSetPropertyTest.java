package io.jzram.target.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of WRITE(10/16), READ(10/16), UNMAP and WRITE SAME against a real device
 * behave like a plain byte array: every READ returns what the model holds.
 */
class CommandSetPropertyTest {
    static final int BLOCKS = 256; // 128 KiB: 32 pages, so that commands overlap a lot
    static final int BLOCK = 512;

    sealed interface Op permits Write, Read, Unmap, WriteSame {}

    record Write(boolean sixteen, int lba, int blocks, int seed) implements Op {}

    record Read(boolean sixteen, int lba, int blocks) implements Op {}

    record Unmap(int lba, int blocks) implements Op {}

    record WriteSame(boolean sixteen, boolean unmap, boolean zero, int lba, int blocks, int seed) implements Op {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Tuple.Tuple2<Integer, Integer>> range = Arbitraries.integers().between(0, BLOCKS - 1)
                .flatMap(lba -> Arbitraries.integers().between(1, Math.min(40, BLOCKS - lba)).map(n -> Tuple.of(lba, n)));
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Op> write = Combinators.combine(bool, range, seed)
                .as((s, r, sd) -> new Write(s, r.get1(), r.get2(), sd));
        Arbitrary<Op> read = Combinators.combine(bool, range).as((s, r) -> new Read(s, r.get1(), r.get2()));
        Arbitrary<Op> unmap = range.map(r -> new Unmap(r.get1(), r.get2()));
        Arbitrary<Op> writeSame = Combinators.combine(bool, bool, bool, range, seed)
                .as((s, u, z, r, sd) -> new WriteSame(s, u, z, r.get1(), r.get2(), sd));
        return Arbitraries.frequencyOf(
                        Tuple.of(4, write), Tuple.of(4, read), Tuple.of(2, unmap), Tuple.of(2, writeSame))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    static byte[] data(int blocks, int seed) {
        byte[] b = new byte[blocks * BLOCK];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < b.length; i++) {
            if (i % 3 == 0) { // a mix of runs and noise: compressible but not trivially
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            b[i] = (byte) (x >>> ((i % 3) * 8));
        }
        return b;
    }

    @Property(tries = 300)
    void everyReadReturnsWhatAByteArrayModelHolds(@ForAll("ops") List<Op> ops) throws Exception {
        try (ScsiHarness h = new ScsiHarness()) {
            h.addDevice((long) BLOCKS * BLOCK);
            ScsiCommandSet.NexusHandle n = h.loginClean();
            byte[] model = new byte[BLOCKS * BLOCK];

            for (Op op : ops) {
                switch (op) {
                    case Write w -> {
                        byte[] d = data(w.blocks(), w.seed());
                        byte[] cdb = w.sixteen() ? Cdbs.write16(w.lba(), w.blocks()) : Cdbs.write10(w.lba(), w.blocks());
                        h.exec(n, 0, cdb, d).assertGood();
                        System.arraycopy(d, 0, model, w.lba() * BLOCK, d.length);
                    }
                    case Read r -> {
                        byte[] cdb = r.sixteen() ? Cdbs.read16(r.lba(), r.blocks()) : Cdbs.read10(r.lba(), r.blocks());
                        byte[] got = h.exec(n, 0, cdb, null, r.blocks() * BLOCK).assertGood().data();
                        assertThat(got).as("%s after %s", r, ops)
                                .isEqualTo(Arrays.copyOfRange(model, r.lba() * BLOCK, (r.lba() + r.blocks()) * BLOCK));
                    }
                    case Unmap u -> {
                        byte[] list = Cdbs.unmapList(new long[] {u.lba(), u.blocks()});
                        h.exec(n, 0, Cdbs.unmap(list.length), list).assertGood();
                        // whole pages are deallocated, partial edges zeroed: the whole range reads zeros
                        Arrays.fill(model, u.lba() * BLOCK, (u.lba() + u.blocks()) * BLOCK, (byte) 0);
                    }
                    case WriteSame ws -> {
                        byte[] block = ws.zero() ? new byte[BLOCK] : data(1, ws.seed());
                        byte[] cdb = ws.sixteen()
                                ? Cdbs.writeSame16(ws.lba(), ws.blocks(), ws.unmap(), false)
                                : Cdbs.writeSame10(ws.lba(), ws.blocks(), ws.unmap());
                        h.exec(n, 0, cdb, block).assertGood();
                        // UNMAP=1 deallocates whatever the block holds (SBC-4): the range reads zeros
                        byte[] stored = ws.unmap() ? new byte[BLOCK] : block;
                        for (int i = 0; i < ws.blocks(); i++) {
                            System.arraycopy(stored, 0, model, (ws.lba() + i) * BLOCK, BLOCK);
                        }
                    }
                }
            }
            byte[] all = h.exec(n, 0, Cdbs.read16(0, BLOCKS), null, BLOCKS * BLOCK).assertGood().data();
            assertThat(all).isEqualTo(model);
        }
    }
}
