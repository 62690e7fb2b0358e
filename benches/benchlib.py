"""Pieces the benchmark scripts share: where `coral` is, a free loopback
port, a colony server that stops with the benchmark, and a whole-process
measurement."""
import contextlib
import os
import socket
import subprocess
import threading
import time


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
def serve_colony(coral, db, extra=()):
    """`coral colony serve --db DB [EXTRA…]` on a free port; yields its port."""
    port = free_port()
    server = subprocess.Popen([coral, "colony", "serve", "--db", db, "--listen", f"127.0.0.1:{port}", *extra],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server.stderr.readline()  # the banner: it is listening
    try:
        yield port
    finally:
        server.terminate()
        server.wait()


def run_measured(argv, env=None, cwd=None):
    """Runs argv to the end, as a user waits for it. Returns (wall ms, peak
    RSS in bytes from wait4's rusage, exit code, stdout, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
    reader.start()
    out = proc.stdout.read()
    reader.join()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000.0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, proc.returncode, out, err[0]
