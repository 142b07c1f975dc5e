package io.jzram.target.iscsi;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.jzram.target.iscsi.testinit.RamDiskCommandSet;

/**
 * Manual runner: a target on 127.0.0.1 (port from args[0], default 0) in front of a 64 MiB RAM
 * disk, stopping after args[1] seconds (default 600). For trying initiators by hand.
 */
public final class RunRamDiskTarget {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        IscsiServerSettings s = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .withTargetName(ServerFixture.IQN);
        try (IscsiServer server = new IscsiServer(s, new RamDiskCommandSet(64 * 1024 * 1024))) {
            server.start();
            System.out.println("PORT " + server.boundAddress().getPort());
            Thread.sleep(seconds * 1000);
        }
    }
}
