#!/usr/bin/env python3
"""What a hostile client costs a jzram server: idle connections and a malformed-PDU flood.

    bench/hostile-clients.py                       # 3000 idle connections, 2000 malformed ones
    IDLE=1000 FLOOD=500 bench/hostile-clients.py

Starts `./jzram serve --no-shell --listen 127.0.0.1:PORT` (loopback only, a free port, its own
control socket), then:

  1. idle: opens IDLE TCP connections that never send a byte and holds them for HOLD seconds;
     prints the server JVM's resident memory before and with them (VmRSS of /proc/PID/status),
     how many were accepted (still open after HOLD seconds) and how many the server closed or
     refused;
  2. flood: FLOOD connections one after the other, each sending 48 bytes of garbage (a header
     with an unknown opcode and an absurd data segment length) and closing; prints how many lines
     and WARN lines the server wrote to its log meanwhile.

Every connection goes to 127.0.0.1. The server is stopped by its pid at the end.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDLE = int(os.environ.get("IDLE", "3000"))
FLOOD = int(os.environ.get("FLOOD", "2000"))
HOLD = float(os.environ.get("HOLD", "5"))
# Source addresses 127.0.0.1 .. 127.0.0.SOURCES, in turn: the idle connections come from many
# addresses, as from many hosts, so the per-address cap does not hide what a connection costs.
SOURCES = int(os.environ.get("SOURCES", "64"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def java_pid(pid):
    """The JVM below the launcher script."""
    for _ in range(5):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "java":
                    return pid
        except FileNotFoundError:
            return None
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        if not children:
            return None
        pid = int(children[0])
    return None


def main():
    work = tempfile.mkdtemp(prefix="jzram-hostile-")
    port = free_port()
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen([os.path.join(ROOT, "jzram"), "serve", "--no-shell", "--listen", f"127.0.0.1:{port}",
                               "--control-socket", os.path.join(work, "control.sock"), "--device", "64M"],
                              stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if server.poll() is not None:
                sys.exit("server exited: " + open(log_path).read())
            if "target " in open(log_path).read():
                break
            time.sleep(0.2)
        jvm = java_pid(server.pid)
        time.sleep(2)  # let start-up settle
        before = rss_kib(jvm)

        # 1. idle connections
        conns, refused = [], 0
        for i in range(IDLE):
            s = socket.socket()
            try:
                s.bind((f"127.0.0.{1 + i % SOURCES}", 0))
                s.connect(("127.0.0.1", port))
                conns.append(s)
            except OSError:
                refused += 1
                s.close()
        time.sleep(HOLD)
        with_idle = rss_kib(jvm)
        open_now = 0
        for s in conns:
            s.setblocking(False)
            try:
                data = s.recv(1)
                if data == b"":
                    continue  # closed by the server
                open_now += 1
            except BlockingIOError:
                open_now += 1
            except OSError:
                pass
        for s in conns:
            s.close()
        print(f"idle: {IDLE} connections from {SOURCES} addresses held {HOLD:.0f} s: server RSS {before // 1024} MiB -> "
              f"{with_idle // 1024} MiB (+{(with_idle - before) / 1024:.1f} MiB, "
              f"{(with_idle - before) * 1024 / max(1, open_now):.0f} bytes per connection it kept); "
              f"{open_now} kept, {len(conns) - open_now} closed by the server, {refused} refused at connect")
        time.sleep(3)

        # 2. malformed flood
        lines_before = open(log_path).read().splitlines()
        garbage = bytes([0x3f, 0x80, 0, 0, 0, 0xff, 0xff, 0xff]) + bytes(40)
        for _ in range(FLOOD):
            s = socket.socket()
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(garbage)
            except OSError:
                pass
            finally:
                s.close()
        time.sleep(3)
        new = open(log_path).read().splitlines()[len(lines_before):]
        warns = [l for l in new if " WARN " in l or "WARN" in l.split(" ", 3)[:3]]
        print(f"flood: {FLOOD} malformed connections: {len(new)} log lines, {len(warns)} WARN")
        for l in new[:3]:
            print("  e.g. " + l[:160])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    main()
