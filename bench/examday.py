"""The exam-day scenario and its building blocks (setup, the load generator, the checks).

One run: its own PostgreSQL database (created, migrated, dropped), the FitSM content loaded,
gunicorn with the production settings and config/gunicorn.py, Redis as broker and cache (two
databases of its own, flushed at start and end), one Celery worker and beat. Candidates are
made with `manage.py make_sitting`; the load comes from a separate process (bench.loadgen)."""

import contextlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import environment, procs
from . import services as bench_services
from .services import SERVICES


@dataclass
class Context:
    args: object
    workdir: str
    log: object
    port: int
    env: dict
    database: str
    web: object = None
    webs: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    worker: object = None
    beat: object = None
    worker_paused: bool = False  # a drill stopped the worker on purpose
    notes: list = field(default_factory=list)
    restarts: list = field(default_factory=list)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"


def bench_env(database, port, workdir, args):
    env = environment.bench_env(database=database, port=port, workdir=workdir)
    env.update(
        CACHE_URL=SERVICES.redis_url(args.redis_db),
        CELERY_BROKER_URL=SERVICES.redis_url(args.redis_db + 1),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        EXAM_SAVE_GRACE_SECONDS=str(args.grace),
        OVERLOAD_QUEUE_BUDGET_MS=str(args.shed_budget_ms),
        OVERLOAD_RETRY_AFTER="2",
        DATABASE_CONN_MAX_AGE="600",
    )
    return env


@contextlib.contextmanager
def environment_up(args, *, web=True):
    """Everything a run needs, torn down in reverse whatever happens."""
    workdir = environment.workdir_make()
    log = open(Path(workdir) / "bench.log", "w")  # noqa: SIM115
    with contextlib.ExitStack() as stack:
        if getattr(args, "services", "shared") == "private":
            print("starting a private PostgreSQL and Redis for this run…", flush=True)
            stack.enter_context(bench_services.private(log))
        yield from _environment_up(args, workdir, log, web=web)


def _environment_up(args, workdir, log, web=True):
    port = environment.free_port()
    ctx = Context(args=args, workdir=workdir, log=log, port=port, env={}, database=args.database)
    ctx.env = bench_env(args.database, port, workdir, args)
    if not procs.redis_ping():
        raise SystemExit(f"Redis is not answering on 127.0.0.1:{SERVICES.redis_port}.")
    procs.redis_flush(args.redis_db)
    procs.redis_flush(args.redis_db + 1)
    environment.database_create(args.database)
    django_ready = False
    try:
        print(f"preparing database {args.database} (migrate, collectstatic)…", flush=True)
        environment.prepare(ctx.env, log)
        for name in [k for k in os.environ if k.startswith(("CELERY_", "CACHE_URL", "DATABASE_"))]:
            del os.environ[name]
        os.environ.update(ctx.env)
        import django

        django.setup()
        django_ready = True
        from content.loader import banks_load, certifications_load

        certifications_load()
        banks_load()
        if web and getattr(args, "nodes", 1) == 2:
            # HAProxy on the run's port, round robin to two gunicorn instances that reach
            # PostgreSQL through PgBouncer (the worker, beat and the checks connect directly).
            bouncer_port = environment.free_port()
            ctx.extra.append(
                procs.pgbouncer(port=bouncer_port, database=args.database, workdir=workdir, log=log)
            )
            node_ports = [environment.free_port(), environment.free_port()]
            for i, node_port in enumerate(node_ports):
                node_env = dict(
                    ctx.env,
                    DATABASE_URL=f"postgres://postgres@127.0.0.1:{bouncer_port}/{args.database}",
                    BENCH_NODE=f"node{i + 1}",
                    GUNICORN_TRUST_REQUEST_START="true",
                )
                ctx.webs.append(
                    procs.gunicorn(
                        node_env,
                        node_port,
                        workers=max(1, args.workers // 2),
                        threads=args.threads,
                        log=log,
                        shed=not args.no_shed,
                    )
                )
            ctx.extra.append(procs.haproxy(port=port, backends=node_ports, workdir=workdir, log=log))
            ctx.web = ctx.webs[0]
        elif web:
            ctx.web = procs.gunicorn(
                ctx.env, port, workers=args.workers, threads=args.threads, log=log, shed=not args.no_shed
            )
            ctx.webs = [ctx.web]
        ctx.worker = procs.celery_worker(
            ctx.env, concurrency=args.celery_concurrency, log=log, max_memory_mb=args.celery_max_memory_mb
        )
        ctx.beat = procs.celery_beat(ctx.env, workdir=workdir, log=log)
        yield ctx
    finally:
        for p in [ctx.beat, ctx.worker, *reversed(ctx.extra[1:]), *ctx.webs, *ctx.extra[:1]]:
            if p is not None:
                p.stop()
            home = getattr(p, "home", None)
            if home is not None:
                shutil.rmtree(home, ignore_errors=True)
        ctx.notes += procs.services_restore()
        if django_ready:
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            environment.database_drop(args.database)
        procs.redis_flush(args.redis_db)
        procs.redis_flush(args.redis_db + 1)
        environment.workdir_clean(workdir)
        log.close()


def make_sitting(ctx, n, *, minutes, prefix, certification="FND"):
    """`manage.py make_sitting` in a subprocess, as an operator would run it. Returns its JSON."""
    cmd = [
        sys.executable,
        str(environment.ROOT / "manage.py"),
        "make_sitting",
        "--certification",
        certification,
    ]
    cmd += ["--candidates", str(n), "--minutes", str(minutes), "--json", "--force", "--email-prefix", prefix]
    t0 = time.monotonic()
    out = subprocess.run(  # noqa: S603
        cmd, env=ctx.env, cwd=environment.ROOT, capture_output=True, text=True, timeout=1800, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"make_sitting failed: {out.stderr[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall_s"] = round(time.monotonic() - t0, 1)
    return data


def correct_keys(sitting_id):
    """{email: {position: displayed key of the right option}} from the drawn (ready) attempts."""
    from exams.models import AttemptItem, QuestionOption
    from exams.presentation import KEYS

    items = list(
        AttemptItem.objects.filter(attempt__registration__sitting_id=sitting_id).values(
            "attempt__user__email", "position", "option_order"
        )
    )
    right = set(
        QuestionOption.objects.filter(
            id__in={oid for i in items for oid in i["option_order"]}, is_correct=True
        ).values_list("id", flat=True)
    )
    out = {}
    for i in items:
        index = next(n for n, oid in enumerate(i["option_order"]) if oid in right)
        out.setdefault(i["attempt__user__email"], {})[str(i["position"])] = KEYS[index]
    return out


def plan_exam_day(ctx, sitting, *, think, login_window, spike, seed, offline=(), time_limit):
    rng = random.Random(seed)
    keys = correct_keys(sitting["sitting_id"])
    candidates = []
    n = len(sitting["candidates"])
    never = set(rng.sample(range(n), max(1, round(n * 0.05)) if n >= 2 else 0))
    rest = [i for i in range(n) if i not in never]
    early = set(rng.sample(rest, round(len(rest) * 0.2)))
    for i, c in enumerate(sitting["candidates"]):
        ending = "never" if i in never else "early" if i in early else "deadline"
        spec = {
            "email": c["email"],
            "password": c["password"],
            "correct": keys.get(c["email"], {}),
            "skill": rng.uniform(0.55, 1.0),
            "ending": ending,
        }
        candidates.append(spec)
    for index, after_s in offline:
        candidates[index]["offline"] = {"after_s": after_s, "for_s": 30}
    return {
        "mode": "exam-day",
        "base_url": ctx.base_url,
        "sitting_id": sitting["sitting_id"],
        "access_code": sitting["access_code"],
        "candidates": candidates,
        "login_window_s": login_window,
        "start_spike_s": spike,
        "think_mean_s": think,
        "change_fraction": 0.15,
        "flag_fraction": 0.1,
        "grace_s": ctx.args.grace,
        "clock_poll_s": ctx.args.clock_poll,
        "seed": seed,
        # One asyncio loop per 400 candidates, at most one per core.
        "processes": max(1, min(os.cpu_count() or 1, -(-n // 400))),
        "time_limit_s": time_limit,
    }


def plan_closed_loop(ctx, sitting, *, mode, duration, seed):
    return {
        "mode": mode,
        "base_url": ctx.base_url,
        "sitting_id": sitting["sitting_id"],
        "access_code": sitting["access_code"],
        "candidates": [{"email": c["email"], "password": c["password"]} for c in sitting["candidates"]],
        "think_mean_s": 1,
        "change_fraction": 0,
        "flag_fraction": 0,
        "grace_s": ctx.args.grace,
        "seed": seed,
        "duration_s": duration,
        "time_limit_s": duration + 120,
    }


class Sampler(threading.Thread):
    """Every 2 s: RSS of each web worker and Celery process, CPU of the load generator, load average."""

    def __init__(self, ctx, loadgen_pid=None):
        super().__init__(daemon=True)
        self.ctx = ctx
        self.loadgen_pid = loadgen_pid
        self.samples = []
        self.stop_event = threading.Event()
        self.t0 = time.monotonic()

    def run(self):
        while not self.stop_event.wait(2.0):
            self.samples.append(self.sample())
            self.supervise()

    def supervise(self):
        """What systemd (Restart=always) does in production: a Celery worker or beat that exited
        on its own is started again, and the restart is recorded."""
        ctx = self.ctx
        t = round(time.monotonic() - self.t0, 1)
        if ctx.worker is not None and not ctx.worker.alive() and not ctx.worker_paused:
            code = ctx.worker.proc.returncode
            ctx.worker = procs.celery_worker(
                ctx.env,
                concurrency=ctx.args.celery_concurrency,
                log=ctx.log,
                max_memory_mb=ctx.args.celery_max_memory_mb,
            )
            ctx.restarts.append({"t": t, "what": "celery worker", "exit_code": code})
        if ctx.beat is not None and not ctx.beat.alive():
            code = ctx.beat.proc.returncode
            ctx.beat = procs.celery_beat(ctx.env, workdir=ctx.workdir, log=ctx.log)
            ctx.restarts.append({"t": t, "what": "celery beat", "exit_code": code})

    def cpu(self, web, worker):
        """CPU seconds used since the last sample, per part of the system (each process's
        increase, so a process that ends or is replaced is not subtracted), and the machine's
        CPU time by kind from /proc/stat (steal: taken by the hypervisor for other guests)."""
        groups = {
            "web": [*web, *(w.pid for w in self.ctx.webs if w.alive())],
            "celery": [*worker, *([self.ctx.beat.pid] if self.ctx.beat and self.ctx.beat.alive() else [])],
            "loadgen": [self.loadgen_pid, *procs.children(self.loadgen_pid)] if self.loadgen_pid else [],
            "postgres": procs.pids_named("postgres"),
            "redis": procs.pids_named("redis-server"),
        }
        last = getattr(self, "_cpu_last", {})
        now, used = {}, {}
        for group, pids in groups.items():
            total = 0.0
            for pid in pids:
                seconds = procs.cpu_seconds(pid)
                if seconds is None:
                    continue
                now[pid] = seconds
                total += max(0.0, seconds - last.get(pid, seconds if last else 0.0))
            used[group] = round(total, 2)
        self._cpu_last = now
        return used

    def sample(self):
        web = [pid for w in self.ctx.webs if w.alive() for pid in procs.children(w.pid)]
        worker = []
        if self.ctx.worker and self.ctx.worker.alive():
            worker = [self.ctx.worker.pid, *procs.children(self.ctx.worker.pid)]
        return {
            "cpu_s": self.cpu(web, worker),
            "machine_jiffies": procs.machine_jiffies(),
            "t": round(time.monotonic() - self.t0, 1),
            "web_rss_mb": [round(x, 1) for x in (procs.rss_mb(p) for p in web) if x],
            "celery_rss_mb": [round(x, 1) for x in (procs.rss_mb(p) for p in worker) if x],
            "celery_pss_mb": round(sum(x for x in (procs.pss_mb(p) for p in worker) if x), 1),
            "load": round(os.getloadavg()[0], 2),
        }

    def stop(self):
        self.stop_event.set()
        self.join(5)


def run_loadgen(ctx, plan, name, *, during=None):
    """The load generator in its own process; `during(proc, t0)` runs beside it (a drill)."""
    plan_path = Path(ctx.workdir) / f"{name}.plan.json"
    out_path = Path(ctx.workdir) / f"{name}.result.json"
    plan["started_at"] = time.time()
    plan_path.write_text(json.dumps(plan))
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.loadgen", str(plan_path), str(out_path)],
        cwd=environment.ROOT,
        stdout=ctx.log,
        stderr=subprocess.STDOUT,
    )
    sampler = Sampler(ctx, proc.pid)
    sampler.start()
    t0 = time.monotonic()
    drill = None
    try:
        if during is not None:
            drill = during(proc, t0)
        proc.wait(timeout=plan["time_limit_s"] + 180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sampler.stop()
    if proc.returncode != 0 or not out_path.exists():
        raise RuntimeError(f"the load generator failed ({proc.returncode}); see {ctx.log.name}")
    result = json.loads(out_path.read_text())
    result["samples"] = sampler.samples
    result["drill"] = drill
    result["restarts"] = list(ctx.restarts)
    ctx.restarts.clear()
    return result


# -- after the last deadline: grading, certificates, PDFs ------------------------------------
def settle(sitting_id, *, grace, limit_s):
    """Poll until every attempt of the sitting is graded and every pass has its certificate
    and PDF (or the limit). Times are from the last deadline."""
    from django.db import close_old_connections
    from django.db.models import Count

    from certificates.models import Certificate
    from exams.models import Attempt

    close_old_connections()
    attempts = Attempt.objects.filter(registration__sitting_id=sitting_id).exclude(state=Attempt.State.READY)
    last_deadline = max((a.deadline for a in attempts.only("deadline") if a.deadline), default=None)
    if last_deadline is None:
        return {"error": "no attempt started"}
    t_graded = t_certified = None
    began = time.time()
    while time.time() - began < limit_s:
        close_old_connections()
        states = dict(attempts.order_by().values_list("state").annotate(n=Count("id")))
        open_ = sum(n for s, n in states.items() if s != Attempt.State.GRADED)
        passes = attempts.filter(state=Attempt.State.GRADED, passed=True).count()
        certified = (
            Certificate.objects.filter(attempt__in=attempts, attempt__passed=True).exclude(pdf="").count()
        )
        now = time.time()
        since = now - last_deadline.timestamp()
        if open_ == 0 and t_graded is None:
            t_graded = round(since, 1)
        if open_ == 0 and certified >= passes and t_certified is None:
            t_certified = round(since, 1)
        if t_graded is not None and t_certified is not None:
            break
        time.sleep(1.0)
    graded_at = list(attempts.filter(state=Attempt.State.GRADED).values_list("deadline", "graded_at"))
    lag = sorted((g - d).total_seconds() - grace for d, g in graded_at if d and g)
    last_graded = max((g for _, g in graded_at if g), default=None)
    # When each PDF was written: its file's time in the certificate storage.
    storage = Certificate._meta.get_field("pdf").storage
    pdf_times = []
    for name in (
        Certificate.objects.filter(attempt__in=attempts).exclude(pdf="").values_list("pdf", flat=True)
    ):
        with contextlib.suppress(Exception):
            pdf_times.append(os.path.getmtime(storage.path(name)))
    deadline_ts = last_deadline.timestamp()
    return {
        "last_deadline": last_deadline.isoformat(),
        "all_graded_after_last_deadline_s": round(last_graded.timestamp() - deadline_ts, 1)
        if last_graded
        else None,
        "all_certified_with_pdf_after_last_deadline_s": round(max(pdf_times) - deadline_ts, 1)
        if pdf_times and t_certified is not None
        else None,
        "observed_settled_after_last_deadline_s": t_certified,
        "graded_after_own_deadline_plus_grace_s_max": round(lag[-1], 1) if lag else None,
        "pdfs": len(pdf_times),
        "states": states,
    }


def integrity(sitting_id, result):
    """Every acknowledged answer stored with its last acknowledged value; every score recomputed
    from the answer rows; graded exactly once; one certificate per pass, none per fail; PDFs."""
    from django.db import close_old_connections, connection

    from certificates.models import Certificate
    from exams.models import Attempt, AttemptEvent, AttemptItem
    from exams.presentation import KEYS

    close_old_connections()
    pdf_storage = Certificate._meta.get_field("pdf").storage
    problems = []
    by_attempt = {c["attempt"]: c for c in result["candidates"] if c.get("attempt")}
    attempts = {
        a.pk: a
        for a in Attempt.objects.filter(registration__sitting_id=sitting_id).exclude(
            state=Attempt.State.READY
        )
    }
    acked = lost = applied_unacked = 0
    for item in AttemptItem.objects.filter(attempt_id__in=list(by_attempt)).only(
        "attempt_id", "position", "option_order", "chosen_option_id", "seq", "flagged"
    ):
        ack = by_attempt[item.attempt_id]["acked"].get(str(item.position))
        if ack is None:
            continue
        acked += 1
        key, seq, flagged = ack
        shown = (
            None if item.chosen_option_id is None else KEYS[item.option_order.index(item.chosen_option_id)]
        )
        if item.seq == seq:
            if shown != key or (flagged is not None and item.flagged != flagged):
                lost += 1
                problems.append(f"attempt {item.attempt_id} q{item.position}: acked {ack}, stored {shown}")
        elif item.seq < seq:
            lost += 1
            problems.append(f"attempt {item.attempt_id} q{item.position}: acked seq {seq}, stored {item.seq}")
        else:
            applied_unacked += 1  # a later save reached the server but its answer did not reach the client
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ai.attempt_id, count(*), count(*) FILTER (WHERE qo.is_correct)
               FROM exams_attemptitem ai LEFT JOIN exams_questionoption qo ON qo.id = ai.chosen_option_id
               WHERE ai.attempt_id = ANY(%s) GROUP BY ai.attempt_id""",
            [list(attempts)],
        )
        recomputed = {a: (total, correct) for a, total, correct in cursor.fetchall()}
    graded_events = {}
    for attempt_id, kind in AttemptEvent.objects.filter(
        attempt_id__in=list(attempts), kind__in=["graded", "submitted", "expired"]
    ).values_list("attempt_id", "kind"):
        graded_events.setdefault(attempt_id, []).append(kind)
    certs = {}
    for attempt_id, pdf in Certificate.objects.filter(attempt_id__in=list(attempts)).values_list(
        "attempt_id", "pdf"
    ):
        certs.setdefault(attempt_id, []).append(pdf)
    wrong_score = not_graded = twice = cert_wrong = no_pdf = 0
    passes = fails = expired = 0
    for a in attempts.values():
        total, correct = recomputed.get(a.pk, (0, 0))
        if a.state != Attempt.State.GRADED:
            not_graded += 1
            problems.append(f"attempt {a.pk} is {a.state}, not graded")
            continue
        passed = total > 0 and correct * 100 >= a.pass_mark * total
        if a.correct != correct or a.total != total or a.passed != passed:
            wrong_score += 1
            problems.append(
                f"attempt {a.pk}: stored {a.correct}/{a.total} {a.passed}, recomputed {correct}/{total}"
            )
        events = graded_events.get(a.pk, [])
        if events.count("graded") != 1 or events.count("submitted") + events.count("expired") != 1:
            twice += 1
            problems.append(f"attempt {a.pk}: events {events}")
        expired += "expired" in events
        mine = certs.get(a.pk, [])
        if a.passed:
            passes += 1
            if len(mine) != 1:
                cert_wrong += 1
                problems.append(f"attempt {a.pk} passed with {len(mine)} certificates")
            elif not mine[0] or not pdf_storage.exists(mine[0]):
                no_pdf += 1
        else:
            fails += 1
            if mine:
                cert_wrong += 1
                problems.append(f"attempt {a.pk} failed with {len(mine)} certificates")
    unsent = sum(c["unsent"] for c in result["candidates"])
    not_started = sum(1 for c in result["candidates"] if not c.get("attempt"))
    if no_pdf:
        problems.append(f"{no_pdf} certificates without their PDF")
    if not_started:
        problems.append(f"{not_started} candidates never started")
    return {
        "ok": not problems,
        "attempts": len(attempts),
        "acknowledged_answers_checked": acked,
        "acknowledged_saves": sum(c["acks"] for c in result["candidates"]),
        "lost": lost,
        "applied_but_unacknowledged": applied_unacked,
        "unsent_when_attempt_closed": unsent,
        "not_graded": not_graded,
        "wrong_score": wrong_score,
        "graded_not_exactly_once": twice,
        "passes": passes,
        "fails": fails,
        "expired_by_sweep": expired,
        "certificate_errors": cert_wrong,
        "certificates_without_pdf": no_pdf,
        "not_started": not_started,
        "problems": problems[:20],
    }


def exam_minutes(think, questions=20):
    """Long enough for every save (questions + ~25 % changes) at the mean think time, plus margin."""
    saves = questions * 1.25
    return max(2, math.ceil((saves * think * 1.4 + 30) / 60))
