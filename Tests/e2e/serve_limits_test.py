#!/usr/bin/env python3
"""End-to-end test of `guidegen serve` under a low file-descriptor limit, and against clients that
misbehave (no browser needed).

Copies the bundled site into a temporary folder and starts `guidegen serve` under `ulimit -n 64`
(--port P --host 127.0.0.1), then checks, in order:

  1. 300 event streams opened and closed by the client (aborted fetches) leave no descriptor
     behind: the server's open descriptors stay under 40 and it answers at once;
  2. a request with another Host header gets 403 and a body naming --allowed-host; the event
     stream refuses another Origin;
  3. 20 clients that open the event stream and never read it, and a save that makes 100,000
     errors (and another that fixes them), leave the server's memory bounded (RSS grows by less
     than 150 MiB) and the server answering;
  4. 100 connections that send half a request and stall (more than the descriptor limit): the
     server keeps under its limit, says once on stderr that connections are limited and how to
     raise `ulimit -n`, does not spin (under 20% of a core over 2 s), answers a new request
     within 35 s (stalled ones are closed after 10 s), and a save still rebuilds (no misleading
     'UTF-8' error);
  5. SIGINT stops it with exit code 0 within 5 s.

    python3 Tests/e2e/serve_limits_test.py [--guidegen .build/release/guidegen]

Linux only (reads /proc). Exits non-zero when any check failed.
"""
import argparse
import os
import re
import shutil
import socket
import tempfile
import time

import harness
from harness import check, failures, finish, free_port, write_in_place

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROLE = "content/roles/backend-developer.md"


def wait_until(fn, timeout=10, interval=0.05):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value or time.time() >= deadline:
            return value
        time.sleep(interval)


class Server(harness.CollectedProcess):
    """guidegen serve under `ulimit -n LIMIT`, its output lines collected as they come."""

    def __init__(self, guidegen, site, port, limit):
        command = f'ulimit -n {limit} && exec "$0" serve --source "$1" --host 127.0.0.1 --port "$2"'
        super().__init__(["bash", "-c", command, guidegen, site, str(port)])

    def descriptors(self):
        return len(os.listdir(f"/proc/{self.p.pid}/fd"))

    def rss_mib(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(port, path, host="localhost", headers=(), timeout=5):
    """(status line, whole answer) of a GET on a fresh connection; ('', error) when none came."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            text = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
            s.sendall(text.encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            answer = data.decode("utf-8", "replace")
            return answer.split("\r\n", 1)[0], answer
    except OSError as e:
        return "", str(e)


def open_stream(port, base_path):
    """An event stream, read up to its hello."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(f"GET {base_path}__guidegen/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    data = b""
    while b"event: hello" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return s, b"event: hello" in data


def copy_site(dst):
    harness.copy_site(REPO, dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guidegen", default=os.path.join(REPO, ".build", "release", "guidegen"))
    a = ap.parse_args()
    guidegen = os.path.abspath(a.guidegen)
    work = tempfile.mkdtemp(prefix="guidegen-serve-limits-")
    site = os.path.join(work, "site")
    role_path = os.path.join(site, ROLE)
    server = None
    held = []
    try:
        copy_site(site)
        with open(role_path, encoding="utf-8") as f:
            original = f.read()
        port = free_port()
        server = Server(guidegen, site, port, 64)
        serving = wait_until(lambda: next((l for l in server.since(0, "out") if l.startswith("Serving ")), None)
                             or server.p.poll() is not None, timeout=120)
        if not check(isinstance(serving, str), f"the server starts under ulimit -n 64 ({serving!r})"):
            return
        base_path = re.search(r"https?://[^/\s]+(/\S*)", serving).group(1)
        base_path = base_path if base_path.endswith("/") else base_path + "/"

        # 1. Event streams closed by the client.
        opened = 0
        for _ in range(300):
            try:
                s, ok = open_stream(port, base_path)
            except OSError:
                break
            opened += ok
            s.close()
        check(opened == 300, f"300 event streams opened one after the other ({opened})")
        time.sleep(0.5)
        fds = server.descriptors()
        check(fds < 40, f"after 300 aborted event streams the server holds {fds} descriptors (< 40)")
        status, _ = request(port, base_path)
        check(status == "HTTP/1.1 200 OK", f"and answers at once ({status!r})")

        # 2. Host and Origin.
        status, answer = request(port, base_path, host=f"rebind.example:{port}")
        check(status == "HTTP/1.1 403 Forbidden" and "--allowed-host rebind.example" in answer,
              f"another Host gets 403 naming --allowed-host ({status!r})")
        status, _ = request(port, base_path + "__guidegen/events", host=f"localhost:{port}",
                            headers=["Origin: http://evil.example"])
        check(status == "HTTP/1.1 403 Forbidden", f"the event stream refuses another Origin ({status!r})")

        # 3. Clients that never read, and a save with 100,000 errors.
        silent = []
        for _ in range(20):
            try:
                silent.append(open_stream(port, base_path)[0])
            except OSError:
                break
        check(len(silent) == 20, f"20 event streams opened ({len(silent)})")
        for s in silent:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        before = server.rss_mib()
        peak = before
        mark = server.mark()
        broken = original + "\n" + "".join(f"[x{i}](/roles/missing-{i}/)\n" for i in range(100_000))
        write_in_place(role_path, broken)
        failed = wait_until(lambda: any("rebuild failed" in l for l in server.since(mark, "err")), timeout=120)
        check(bool(failed), "a save with 100,000 broken links fails to rebuild")
        for _ in range(20):
            peak = max(peak, server.rss_mib())
            time.sleep(0.1)
        mark = server.mark()
        write_in_place(role_path, original)
        wait_until(lambda: any(l.startswith("Rebuilt ") for l in server.since(mark, "out")), timeout=60)
        for _ in range(10):
            peak = max(peak, server.rss_mib())
            time.sleep(0.1)
        check(peak - before < 150, f"20 clients that never read and 100,000 errors: RSS {before:.0f} -> peak {peak:.0f} MiB "
                                   f"(grows < 150 MiB)")
        status, _ = request(port, base_path)
        check(status == "HTTP/1.1 200 OK", f"the server still answers ({status!r})")
        for s in silent:
            s.close()

        # 4. More stalled half-sent requests than descriptors.
        mark = server.mark()
        for _ in range(100):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                held.append(s)
            except OSError:
                pass
        check(len(held) >= 64, f"{len(held)} stalled connections made (more than ulimit -n 64)")
        time.sleep(1)
        fds = server.descriptors()
        check(fds <= 64, f"the server holds {fds} descriptors (<= 64)")
        warned = [l for l in server.since(mark, "err") if "ulimit -n 64" in l]
        check(len(warned) == 1, f"stderr says once that connections are limited and how to raise it ({warned[:1]})")
        cpu = server.cpu_seconds()
        time.sleep(2)
        used = server.cpu_seconds() - cpu
        check(used < 0.4, f"no spinning: {used:.2f} s of CPU in 2 s")
        started = time.time()
        status = ""
        while not status and time.time() - started < 35:
            status, _ = request(port, base_path, timeout=35)
        check(status == "HTTP/1.1 200 OK", f"a new request is answered within 35 s ({time.time() - started:.1f} s, {status!r})")
        mark = server.mark()
        write_in_place(role_path, original.rstrip("\n") + "\n\nEdited under a low descriptor limit.\n")
        rebuilt = wait_until(lambda: any(l.startswith("Rebuilt ") for l in server.since(mark, "out")), timeout=15)
        check(bool(rebuilt), f"a save still rebuilds ({server.since(mark)[-3:]})")
        check(not any("UTF-8" in l for l in server.since(0, "err")), "no misleading UTF-8 error on stderr")
        for s in held:
            s.close()
        held = []

        # 5. Ctrl-C.
        code = server.interrupt()
        check(code == 0, f"SIGINT stops the server with exit code 0 within 5 s (got {code})")
    finally:
        for s in held:
            s.close()
        if failures and server:
            print("server output (last lines):\n" + "\n".join(f"  {l}" for l in server.since(0)[-20:]), flush=True)
        if server and server.p.poll() is None:
            server.p.kill()
            server.p.wait()
        shutil.rmtree(work, ignore_errors=True)
    finish("serve limits e2e")


if __name__ == "__main__":
    main()
