"""Where a run's PostgreSQL and Redis are: private ones the run starts and stops (the default of
exam-day and faults), or the machine's shared ones (127.0.0.1:5432 and :6379).

A private PostgreSQL cluster (initdb in the run's folder, as the postgres system user, on a
free port) and a private Redis let the fault drills restart the database and stop Redis in the
middle of a run without touching anything else on the machine: other test suites, CI, a
developer's database. Same binaries as the shared services, default configuration."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class Services:
    def __init__(self):
        self.private = False
        self.pg_port = 5432
        self.redis_port = 6379
        self.pg_dir = None
        self.redis = None  # the private redis-server process
        self.log = None

    def pg_url(self, database, scheme="postgres"):
        return f"{scheme}://postgres@127.0.0.1:{self.pg_port}/{database}"

    def redis_url(self, db):
        return f"redis://127.0.0.1:{self.redis_port}/{db}"


SERVICES = Services()


def _bin(name):
    versions = sorted(os.listdir("/usr/lib/postgresql"))
    return str(Path("/usr/lib/postgresql") / versions[-1] / "bin" / name)


def _as_postgres(cmd, **kw):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *cmd], check=False, capture_output=True, text=True, **kw
    )  # noqa: S603,S607


def pg_ctl(action, timeout=120):
    s = SERVICES
    cmd = [
        _bin("pg_ctl"),
        "-D",
        str(s.pg_dir),
        "-w",
        "-t",
        "60",
        "-m",
        "fast",
        "-l",
        str(s.pg_dir / "server.log"),
    ]
    if action in ("start", "restart"):
        cmd += ["-o", f"-p {s.pg_port} -c listen_addresses=127.0.0.1 -k {s.pg_dir} -c max_connections=400"]
    return _as_postgres([*cmd, action], timeout=timeout)


def redis_private_start():
    s = SERVICES
    cmd = [
        "redis-server",
        "--port",
        str(s.redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    s.redis = subprocess.Popen(  # noqa: S603
        cmd, stdout=s.log or subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    if not wait_until(_redis_answers, 15):
        raise RuntimeError(f"the private Redis did not answer on {s.redis_port}")


def _redis_answers():
    with (
        contextlib.suppress(OSError),
        socket.create_connection(("127.0.0.1", SERVICES.redis_port), timeout=1) as conn,
    ):
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


@contextlib.contextmanager
def private(log):
    """A PostgreSQL cluster and a Redis of the run's own, on free ports, removed at the end."""
    from .environment import free_port

    s = SERVICES
    home = Path(tempfile.mkdtemp(prefix="fitsm-bench-pg-"))
    shutil.chown(home, "postgres", "postgres")
    s.private, s.log = True, log
    s.pg_dir, s.pg_port, s.redis_port = home / "data", free_port(), free_port()
    try:
        out = _as_postgres(
            [_bin("initdb"), "-D", str(s.pg_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8"], timeout=120
        )
        if out.returncode:
            raise RuntimeError(f"initdb failed: {out.stderr[-500:]}")
        out = pg_ctl("start")
        if out.returncode:
            raise RuntimeError(f"the private PostgreSQL did not start: {out.stderr[-500:]}")
        redis_private_start()
        yield s
    finally:
        if s.redis is not None and s.redis.poll() is None:
            s.redis.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                s.redis.wait(10)
        if s.pg_dir is not None and (s.pg_dir / "postmaster.pid").exists():
            pg_ctl("stop")
        shutil.rmtree(home, ignore_errors=True)
        s.__init__()


def wait_until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()
