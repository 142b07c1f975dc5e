package io.jzram.target.iscsi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

import io.jzram.target.auth.AccessPolicy;
import io.jzram.target.iscsi.testinit.RamDiskCommandSet;
import io.jzram.target.iscsi.testinit.TestInitiator;

/** A server on 127.0.0.1, ephemeral port, in front of a RAM disk. */
final class ServerFixture implements AutoCloseable {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }

    static final String IQN = "iqn.2026-11.io.jzram:test";

    final RamDiskCommandSet disk;
    final IscsiServer server;

    ServerFixture() throws IOException {
        this(s -> s);
    }

    ServerFixture(UnaryOperator<IscsiServerSettings> tweak) throws IOException {
        this(64 * 1024 * 1024, tweak);
    }

    ServerFixture(int diskBytes, UnaryOperator<IscsiServerSettings> tweak) throws IOException {
        this(diskBytes, tweak, AccessPolicy.OPEN);
    }

    /** A server that asks {@code policy} who may log in. */
    ServerFixture(AccessPolicy policy) throws IOException {
        this(64 * 1024 * 1024, s -> s, policy);
    }

    ServerFixture(int diskBytes, UnaryOperator<IscsiServerSettings> tweak, AccessPolicy policy) throws IOException {
        disk = new RamDiskCommandSet(diskBytes);
        IscsiServerSettings s = IscsiServerSettings.defaults()
                .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTargetName(IQN)
                .withNopIn(Duration.ofSeconds(30), Duration.ofSeconds(30));
        server = new IscsiServer(tweak.apply(s), disk, policy);
        server.start();
    }

    InetSocketAddress address() {
        return server.boundAddress();
    }

    TestInitiator connect() throws IOException {
        return TestInitiator.connect(address());
    }

    TestInitiator.LoginOptions normal() {
        TestInitiator.LoginOptions o = new TestInitiator.LoginOptions();
        o.targetName = IQN;
        return o;
    }

    /** Connects and logs in a normal session. */
    TestInitiator login() throws IOException, InterruptedException {
        return login(normal());
    }

    TestInitiator login(TestInitiator.LoginOptions o) throws IOException, InterruptedException {
        TestInitiator ini = connect();
        ini.login(o);
        return ini;
    }

    @Override
    public void close() {
        server.stop();
    }
}
