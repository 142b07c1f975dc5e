package io.jzram.cli.command;

import io.jzram.cli.server.Engine;

/**
 * A command that acts on a server's devices or target. Run from a client process it is sent,
 * as its argument vector, to the server over the control socket; inside a server it runs here.
 */
public abstract class ServerCommand extends BaseCommand {

    Engine engine() {
        Engine engine = context().engine();
        if (engine == null) {
            throw new IllegalStateException(spec.name() + " needs a server; the dispatcher should have sent it to one");
        }
        return engine;
    }

    /**
     * For commands that take several devices and go on after one fails: the device called
     * {@code name}, or null after printing "name: No such device" (the caller then counts a failure
     * and goes on with the next device).
     */
    io.jzram.core.ZramDevice lookupOrWarn(Engine engine, String name) {
        try {
            return Devices.lookup(engine, name);
        } catch (Failure f) {
            warn(f.getMessage());
            return null;
        }
    }
}
