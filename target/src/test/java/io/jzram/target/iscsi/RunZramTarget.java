package io.jzram.target.iscsi;

/** Manual runner: the real stack (64 MiB zram device as LUN 0) for args[0] seconds (default 600). */
public final class RunZramTarget {
    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
        try (ZramFixture f = new ZramFixture(64L * 1024 * 1024)) {
            System.out.println("URL " + f.url());
            Thread.sleep(seconds * 1000);
        }
    }
}
