"""Pieces the benchmark scripts share: where `coral` is, a free loopback
port, and a colony server that stops with the benchmark."""
import contextlib
import os
import socket
import subprocess


def default_coral():
    """The release `coral` in the shared target directory."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/coral-target"))
    return os.path.join(target, "release", "coral")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextlib.contextmanager
def serve_colony(coral, db):
    """`coral colony serve --db DB` on a free port; yields its port."""
    port = free_port()
    server = subprocess.Popen([coral, "colony", "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server.stderr.readline()  # the banner: it is listening
    try:
        yield port
    finally:
        server.terminate()
        server.wait()
