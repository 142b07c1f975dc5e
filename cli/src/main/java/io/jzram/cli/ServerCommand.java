package io.jzram.cli;

/**
 * A command that acts on a server's devices or target. Run from a client process it is sent,
 * as its argument vector, to the server over the control socket; inside a server it runs here.
 */
abstract class ServerCommand extends BaseCommand {

    Engine engine() {
        Engine engine = context().engine();
        if (engine == null) {
            throw new IllegalStateException(spec.name() + " needs a server; the dispatcher should have sent it to one");
        }
        return engine;
    }
}
