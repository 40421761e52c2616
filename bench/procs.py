"""The processes a benchmark run starts and always stops: gunicorn (config/gunicorn.py), one
Celery worker and beat; and the shared services it may interrupt in a drill (PostgreSQL,
Redis), which it always leaves running."""

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import services as bench_services
from .environment import ROOT
from .services import SERVICES

PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main {action}"
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
REDIS_START += ["--save", "", "--appendonly", "no"]


def _answers(port, path="/verify/"):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        status = conn.getresponse().status
        conn.close()
        return status == 200
    except OSError:
        return False


class Proc:
    """A child process in its own process group, stopped with TERM then KILL."""

    def __init__(self, name, cmd, env, log):
        self.name = name
        self.cmd = cmd
        self.env = env
        self.log = log
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603
            self.cmd,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def gunicorn(env, port, *, workers, threads, log, shed=True):
    env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers))
    env.update(GUNICORN_THREADS=str(threads), BENCH_SHED="1" if shed else "0", GUNICORN_LOG_LEVEL="warning")
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "config" / "gunicorn.py"),
        "bench.wsgi:application",
    ]
    proc = Proc("gunicorn", cmd, env, log).start()
    deadline = time.monotonic() + 90
    while not _answers(port):
        if not proc.alive():
            raise RuntimeError(f"gunicorn exited with {proc.proc.returncode}; see {log.name}")
        if time.monotonic() > deadline:
            proc.stop()
            raise RuntimeError(f"gunicorn did not answer within 90 s; see {log.name}")
        time.sleep(0.3)
    return proc


def celery_worker(env, *, concurrency, log, name="bench", max_memory_mb=0):
    cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "warning", "-c", str(concurrency)]
    if max_memory_mb:  # a pool process past this RSS is replaced after its task (WeasyPrint grows)
        cmd += [f"--max-memory-per-child={int(max_memory_mb * 1024)}"]
    cmd += ["-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return Proc("celery worker", cmd, env, log).start()


def celery_beat(env, *, workdir, log):
    schedule = str(Path(workdir) / "celerybeat-schedule")
    cmd = [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "warning", "-s", schedule]
    return Proc("celery beat", cmd, env, log).start()


def children(pid):
    """Direct child pids (from /proc)."""
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pss_mb(pid):
    """Proportional set size: shared pages (forked from a preloaded parent) counted once in all."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def pids_named(name):
    """Pids of the processes whose command name is `name` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == name:
                        out.append(int(entry))
            except OSError:
                continue
    return out


def machine_jiffies():
    """The machine's CPU time so far by kind (/proc/stat), in clock ticks."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:9]
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    return dict(zip(names, (int(x) for x in fields), strict=False))


# -- shared services: interrupted only by a drill, always restored ------------------------------
def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready():
    cmd = ["pg_isready", "-h", "127.0.0.1", "-p", str(SERVICES.pg_port), "-q"]
    return subprocess.run(cmd, check=False).returncode == 0  # noqa: S603,S607


def pg_action(action):
    if SERVICES.private:
        return bench_services.pg_ctl(action)
    cmd = PG_RESTART.format(version=pg_version(), action=action).split()
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)  # noqa: S603


def redis_ping():
    try:
        out = subprocess.run(  # noqa: S603
            ["redis-cli", "-h", "127.0.0.1", "-p", str(SERVICES.redis_port), "ping"],  # noqa: S607
            check=False,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return out.stdout.strip() == "PONG"
    except (OSError, subprocess.TimeoutExpired):
        return False


def redis_stop():
    subprocess.run(
        ["redis-cli", "-p", str(SERVICES.redis_port), "shutdown", "nosave"],  # noqa: S607
        check=False,
        capture_output=True,
        timeout=10,
    )
    if SERVICES.private and SERVICES.redis is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            SERVICES.redis.wait(10)


def redis_start():
    if SERVICES.private:
        bench_services.redis_private_start()
    else:
        subprocess.run(REDIS_START, check=False, capture_output=True, timeout=10)  # noqa: S603
    for _ in range(50):
        if redis_ping():
            return True
        time.sleep(0.2)
    return False


def redis_flush(db):
    subprocess.run(
        ["redis-cli", "-p", str(SERVICES.redis_port), "-n", str(int(db)), "flushdb"],
        check=False,
        capture_output=True,
        timeout=10,
    )  # noqa: S603,S607


def services_restore():
    """PostgreSQL and Redis running again, whatever happened (other people's tests use them)."""
    notes = []
    if not pg_ready():
        pg_action("start")
        for _ in range(60):
            if pg_ready():
                break
            time.sleep(1)
        notes.append(
            "PostgreSQL was down and has been started" if pg_ready() else "PostgreSQL could NOT be started"
        )
    if not redis_ping():
        notes.append("Redis was down and has been started" if redis_start() else "Redis could NOT be started")
    return notes


# -- two nodes: HAProxy in front of two gunicorn instances, PgBouncer in front of PostgreSQL ----
HAPROXY_CFG = """global
    maxconn 4000
defaults
    mode http
    timeout connect 5s
    timeout http-request 10s
    timeout client 120s
    timeout server 120s
    timeout queue 30s
frontend exam
    bind 127.0.0.1:{port}
    http-request set-header X-Request-Start t=%[date(0,us)]
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /verify/
    http-check expect status 200
{servers}
"""

PGBOUNCER_INI = """[databases]
{database} = host=127.0.0.1 port={pg_port} dbname={database} user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
auth_type = trust
auth_file = {workdir}/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir}/pgbouncer.log
pidfile = {workdir}/pgbouncer.pid
unix_socket_dir =
admin_users = postgres
"""


def haproxy(*, port, backends, workdir, log):
    servers = "\n".join(
        f"    server node{i + 1} 127.0.0.1:{p} check inter 2s maxconn 64" for i, p in enumerate(backends)
    )
    cfg = Path(workdir) / "haproxy.cfg"
    cfg.write_text(HAPROXY_CFG.format(port=port, servers=servers))
    proc = Proc("haproxy", ["haproxy", "-db", "-f", str(cfg)], dict(os.environ), log).start()
    deadline = time.monotonic() + 30
    while not _answers(port):
        if not proc.alive() or time.monotonic() > deadline:
            proc.stop()
            raise RuntimeError(f"HAProxy did not answer on {port}; see {log.name}")
        time.sleep(0.3)
    return proc


def pgbouncer(*, port, database, workdir, log):
    """PgBouncer (transaction pooling) as the postgres system user (it refuses to run as root),
    its files in a folder of that user's own inside the run's folder."""
    import shutil
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="fitsm-bench-pgbouncer-"))
    (home / "userlist.txt").write_text('"postgres" ""\n')
    ini = home / "pgbouncer.ini"
    ini.write_text(PGBOUNCER_INI.format(port=port, database=database, workdir=home, pg_port=SERVICES.pg_port))
    for path in (home, home / "userlist.txt", ini):
        shutil.chown(path, "postgres", "postgres")
    cmd = ["runuser", "-u", "postgres", "--", "pgbouncer", str(ini)]
    proc = Proc("pgbouncer", cmd, dict(os.environ), log).start()
    time.sleep(1.5)
    if not proc.alive():
        raise RuntimeError(f"PgBouncer did not start; see {home}/pgbouncer.log")
    proc.home = home
    return proc
