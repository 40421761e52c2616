"""config/gunicorn.py: a connection opened and left silent does not hold the worker's threads.

A real gunicorn with one worker of one thread, serving a trivial WSGI application: three silent
sockets are opened before a real request. Stock gthread gives each silent socket its thread
for 5 s, one after another, so the request would wait 15 s; here it is answered while they are
still open, and a silent socket that speaks later is answered too."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

APP = """
def application(environ, start_response):
    body = environ["PATH_INFO"].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(sock, path):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


@pytest.fixture
def server(tmp_path):
    (tmp_path / "silent_app.py").write_text(APP)
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "GUNICORN_PRELOAD": "false",
    }
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py")]
    cmd += ["--pythonpath", str(tmp_path), "silent_app:application"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if _get(s, "/ready").endswith(b"/ready"):
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_a_request_is_answered_while_silent_connections_are_open(server):
    silent = [socket.create_connection(("127.0.0.1", server), timeout=20) for _ in range(3)]
    try:
        time.sleep(0.1)  # the worker has accepted them and handed each to its only thread
        with socket.create_connection(("127.0.0.1", server), timeout=20) as s:
            began = time.monotonic()
            answer = _get(s, "/exam")
            waited = time.monotonic() - began
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"/exam")
        # Stock gthread: 3 × 5 s. Here each silent socket keeps the thread 0.2 s at most.
        assert waited < 4, f"the request waited {waited:.1f} s behind silent connections"

        # A silent connection that speaks later is still served.
        assert _get(silent[0], "/late").endswith(b"/late")
    finally:
        for s in silent:
            s.close()
