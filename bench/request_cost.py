"""What one request costs, in CPU, with nothing else running: the answer save against the HTTP
floor (the trivial authenticated view of bench/wsgi.py), in one process, one request at a time.

    python -m bench.request_cost [--requests 3000] [--rounds 5] [--profile FILE]

The requests go through the production WSGI application (config.settings.production, every
middleware) on a database of its own, with no HTTP server, no threads and no load generator, so
the figures are the application's alone: the web process's CPU per request and the PostgreSQL
backend's (read from /proc for the connection's server process), the median of the rounds.
The ratio floor / save is the ceiling of the save saturation of `exam-day` on any number of
cores; the saturation measured there is lower by what the server, the threads and the machine add.
With --profile, the saves of one more round run under cProfile and its statistics are written to
FILE (cumulative CPU time, the 60 largest)."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from importlib import import_module
from io import BytesIO
from pathlib import Path

from . import environment

DATABASE = "fitsm_bench_cost"
CANDIDATES = 20


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.request_cost")
    p.add_argument("--requests", type=int, default=3000, help="requests of each kind a round")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--profile", help="write cProfile statistics of the saves to this file")
    p.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.inside:
        return _inside(a)
    workdir = environment.workdir_make()
    environment.database_create(DATABASE)
    try:
        env = environment.bench_env(database=DATABASE, port=1, workdir=workdir)
        with open(Path(workdir) / "prepare.log", "w") as log:
            environment.prepare(env, log)
        cmd = [sys.executable, "-m", "bench.request_cost", "--inside", "--requests", str(a.requests)]
        cmd += ["--rounds", str(a.rounds)] + (["--profile", a.profile] if a.profile else [])
        return subprocess.run(cmd, env=env, cwd=environment.ROOT, check=False).returncode  # noqa: S603
    finally:
        environment.database_drop(DATABASE)
        environment.workdir_clean(workdir)


def _cpu_of(pid):
    """User + system CPU seconds of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _environ(method, path, *, cookie, csrf, body=None):
    raw = json.dumps(body).encode() if body is not None else b""
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
        "HTTP_COOKIE": cookie,
        "HTTP_X_CSRFTOKEN": csrf,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": BytesIO(raw),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _call(application, environ):
    status = []
    body = application(environ, lambda s, h, exc_info=None: status.append(s))
    try:
        content = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    if not status[0].startswith("200"):
        raise RuntimeError(
            f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}: {status[0]} {content[:300]!r}"
        )


def _inside(a):
    wsgi = import_module("bench.wsgi")  # production settings, django.setup(): before the models
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench import data
    from exams import services

    cert = data.exam_create()
    users = data.users_create("cost", CANDIDATES)
    sitting = data.on_demand_sitting_with_candidates(cert, users)
    people = []
    for user in users:
        attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=timezone.now())
        cookies, csrf = data.session_for(user)
        cookies[settings.CSRF_COOKIE_NAME] = csrf
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        people.append({"attempt": attempt.pk, "cookie": cookie, "csrf": csrf, "seq": 0})
    connection.close()

    def floor(n):
        person = people[n % len(people)]
        return _environ("PUT", "/bench/floor/", cookie=person["cookie"], csrf=person["csrf"], body={"seq": n})

    def save(n):
        person = people[n % len(people)]
        person["seq"] += 1
        position = 1 + (person["seq"] % 30)
        path = f"/api/v1/attempts/{person['attempt']}/answers/{position}"
        body = {"key": "ABCD"[n % 4], "seq": person["seq"], "flagged": False}
        return _environ("PUT", path, cookie=person["cookie"], csrf=person["csrf"], body=body)

    def round_of(make):
        environs = [make(n) for n in range(a.requests)]
        _call(wsgi.application, environs[0])  # the connection, opened outside the measure
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        cpu, server, wall = time.process_time(), _cpu_of(backend), time.perf_counter()
        for environ in environs[1:]:
            _call(wsgi.application, environ)
        n = len(environs) - 1
        return {
            "web_us": (time.process_time() - cpu) / n * 1e6,
            "db_us": (_cpu_of(backend) - server) / n * 1e6,
            "wall_us": (time.perf_counter() - wall) / n * 1e6,
        }

    for make in (floor, save):  # warm up
        round_of(make)
    rounds = {"floor": [], "save": []}
    for _ in range(a.rounds):
        rounds["floor"].append(round_of(floor))
        rounds["save"].append(round_of(save))
    out = {
        kind: {k: round(statistics.median(r[k] for r in rs), 1) for k in ("web_us", "db_us", "wall_us")}
        for kind, rs in rounds.items()
    }
    for figure in ("web_us", "wall_us"):
        out[f"floor_over_save_{figure[:-3]}"] = round(out["floor"][figure] / out["save"][figure], 3)
    both = {k: out[k]["web_us"] + out[k]["db_us"] for k in ("floor", "save")}
    out["floor_over_save_web_and_db"] = round(both["floor"] / both["save"], 3)
    print(json.dumps(out, indent=2))
    if a.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on the server
        environs = [save(n) for n in range(a.requests)]
        profiler.enable()
        for environ in environs:
            _call(wsgi.application, environ)
        profiler.disable()
        with open(a.profile, "w") as f:
            pstats.Stats(profiler, stream=f).sort_stats("cumulative").print_stats(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
