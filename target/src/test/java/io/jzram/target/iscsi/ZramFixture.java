package io.jzram.target.iscsi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import io.jzram.core.ZramDevice;
import io.jzram.core.ZramException;
import io.jzram.core.ZramRegistry;
import io.jzram.target.scsi.LunIdentity;
import io.jzram.target.scsi.ZramCommandSet;

/** The real stack: a zram device (LUN 0) behind ZramCommandSet behind the server, on 127.0.0.1. */
final class ZramFixture implements AutoCloseable {
    final ZramRegistry registry = new ZramRegistry();
    final ZramDevice device;
    final ZramCommandSet commandSet;
    final IscsiServer server;

    ZramFixture(long diskBytes) throws IOException, ZramException {
        device = registry.hotAdd();
        device.init(diskBytes);
        commandSet = new ZramCommandSet(registry, new LunIdentity(ServerFixture.IQN));
        IscsiServerSettings s = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTargetName(ServerFixture.IQN)
                .withNopIn(Duration.ofSeconds(30), Duration.ofSeconds(30));
        server = new IscsiServer(s, commandSet);
        server.start();
    }

    String url() {
        return "iscsi://127.0.0.1:" + server.boundAddress().getPort() + "/" + ServerFixture.IQN + "/" + device.id();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        commandSet.close();
        registry.hotRemove(device.id(), true, Duration.ofSeconds(10));
    }
}
