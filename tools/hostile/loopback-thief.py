#!/usr/bin/env python3
"""A hostile local user's loop (tests run it as nobody): for SECONDS, connect
to every TCP listener on 127.0.0.1 that was not there when it started, and
read what it is sent. SIGTERM ends it early. Prints "CONNECTIONS BYTES" at
the end."""
import signal
import socket
import sys
import time


def listeners():
    ports = set()
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            ip, port = fields[1].split(":")
            if fields[3] == "0A" and ip == "0100007F":  # LISTEN on 127.0.0.1
                ports.add(int(port, 16))
    return ports


def steal(port):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=0.2)
    except OSError:
        return 0, 0
    got = 0
    s.settimeout(0.3)
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            got += len(d)
    except OSError:
        pass
    s.close()
    return 1, got


stop = False


def on_term(sig, frame):
    global stop
    stop = True


def main():
    signal.signal(signal.SIGTERM, on_term)
    end = time.monotonic() + float(sys.argv[1])
    before = listeners()
    conns = stolen = 0
    while time.monotonic() < end and not stop:
        for port in listeners() - before:
            c, b = steal(port)
            conns, stolen = conns + c, stolen + b
    print(conns, stolen, flush=True)


main()
