package io.jzram.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A realistic, deterministic set of 4 KiB pages: cut from the JDK's libraries and the system's
 * shared libraries and documentation, files in sorted order, pages interleaved by a fixed-seed
 * shuffle so that neighbouring pages come from different files (as a filesystem's would).
 *
 * <p>The same bytes can be written to a file ({@link #dump}) to measure the kernel's zram on
 * exactly this data with {@code dd}.
 */
public final class MixedCorpus {
    public static final int PAGE = 4096;

    private final byte[][] pages;

    private MixedCorpus(byte[][] pages) {
        this.pages = pages;
    }

    /** The default sources: the running JDK's lib/ tree, /usr/lib/x86_64-linux-gnu and /usr/share/doc. */
    public static List<Path> defaultSources() {
        return List.of(
                Paths.get(System.getProperty("java.home"), "lib"),
                Paths.get("/usr/lib/x86_64-linux-gnu"),
                Paths.get("/usr/share/doc"));
    }

    /**
     * Loads up to {@code megabytes} MiB, an equal share from each source that exists; or, when the
     * system property {@code jzram.bench.corpusFile} names a file (one written by {@link #dump}),
     * the pages of that file, so that runs on a machine whose installed files changed, and the
     * kernel zram measured with dd, see exactly the same data.
     */
    public static MixedCorpus load(int megabytes) {
        String file = System.getProperty("jzram.bench.corpusFile");
        if (file != null && !file.isEmpty()) {
            return fromFile(Path.of(file));
        }
        return load(defaultSources(), megabytes);
    }

    /** The whole pages of a file, in order. */
    public static MixedCorpus fromFile(Path file) {
        List<byte[]> pages = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (;;) {
                byte[] page = in.readNBytes(PAGE);
                if (page.length < PAGE) {
                    break;
                }
                pages.add(page);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus file " + file, e);
        }
        return new MixedCorpus(pages.toArray(byte[][]::new));
    }

    public static MixedCorpus load(List<Path> sources, int megabytes) {
        List<Path> existing = sources.stream().filter(Files::isDirectory).toList();
        if (existing.isEmpty()) {
            throw new IllegalStateException("none of the corpus sources exists: " + sources);
        }
        long perSource = (long) megabytes * 1024 * 1024 / existing.size() / PAGE;
        List<byte[]> all = new ArrayList<>();
        for (Path source : existing) {
            all.addAll(pagesOf(source, perSource));
        }
        Random shuffle = new Random(20261127L);
        for (int i = all.size() - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            byte[] t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return new MixedCorpus(all.toArray(byte[][]::new));
    }

    private static List<byte[]> pagesOf(Path root, long maxPages) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> Files.isRegularFile(p) && Files.isReadable(p))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> out = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                while (out.size() < maxPages) {
                    byte[] page = in.readNBytes(PAGE);
                    if (page.length < PAGE) {
                        break; // drop a file's short tail: only whole pages
                    }
                    out.add(page);
                }
            } catch (IOException e) {
                continue; // unreadable (a socket, a vanished file): skip it
            }
            if (out.size() >= maxPages) {
                break;
            }
        }
        return out;
    }

    public int size() {
        return pages.length;
    }

    public byte[] page(int i) {
        return pages[i];
    }

    /** All pages in one direct buffer, page i at offset i * 4096. */
    public ByteBuffer toDirectBuffer() {
        ByteBuffer b = ByteBuffer.allocateDirect(pages.length * PAGE);
        for (byte[] p : pages) {
            b.put(p);
        }
        return b.flip();
    }

    /** Writes the pages, in order, to a file. */
    public void dump(Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (byte[] p : pages) {
                out.write(p);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        int mb = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        MixedCorpus c = load(mb);
        c.dump(Path.of(args[0]));
        System.out.println("wrote " + c.size() + " pages to " + args[0]);
    }
}
