"""Benchmarks: `python -m bench.run exam-day --candidates N`, `python -m bench.run faults`,
`python -m bench.run legacy [--quick]` (the first benchmark; also what a bare `bench.run` runs).

See bench/README.md for what each scenario does and what each figure means."""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import examday, procs, report_md, stats
from .environment import ROOT
from .load import percentile
from .services import SERVICES

RESULTS = ROOT / "bench" / "results"


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # unwinds the finally blocks: processes stopped, services restored


def _args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("scenario", choices=["exam-day", "faults"])
    p.add_argument("--candidates", type=int, default=None, help="exam-day: 200; faults: 60")
    p.add_argument(
        "--think", type=float, default=None, help="mean think time between saves, s (exam-day 20, faults 2)"
    )
    p.add_argument("--login-window", type=float, default=None, help="sign-ins spread over this many s")
    p.add_argument("--spike", type=float, default=None, help="starts spread over this many s")
    p.add_argument("--minutes", type=int, default=None, help="exam duration (default: fits the think time)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    p.add_argument("--threads", type=int, default=6, help="threads per gunicorn process")
    p.add_argument("--celery-concurrency", type=int, default=2, help="processes of the one Celery worker")
    p.add_argument("--nodes", type=int, choices=[1, 2], default=1, help="2: HAProxy, two gunicorn, PgBouncer")
    p.add_argument(
        "--celery-max-memory-mb", type=int, default=220, help="--max-memory-per-child of the worker (0: none)"
    )
    p.add_argument("--grace", type=int, default=30, help="EXAM_SAVE_GRACE_SECONDS")
    p.add_argument("--shed-budget-ms", type=int, default=1000, help="OVERLOAD_QUEUE_BUDGET_MS (0: off)")
    p.add_argument("--no-shed", action="store_true", help="run without the overload middleware")
    p.add_argument(
        "--clock-poll",
        type=float,
        default=5,
        help="s between the exam page's clock polls when idle (the page's own interval; 0: none)",
    )
    p.add_argument("--floors", dest="floors", action="store_true", default=True)
    p.add_argument("--no-floors", dest="floors", action="store_false", help="skip floors and saturation")
    p.add_argument("--saturation-clients", type=int, default=24)
    p.add_argument("--saturation-seconds", type=float, default=20)
    p.add_argument("--profile", action="store_true", help="py-spy on a web worker during saturation")
    p.add_argument(
        "--celery-back-after",
        type=float,
        default=60,
        help="stop-celery: restart this many s after the last deadline",
    )
    p.add_argument("--drills", default="kill-worker,restart-postgres,stop-celery,stop-redis,offline-client")
    p.add_argument("--database", default="fitsm_bench_examday")
    p.add_argument(
        "--services",
        choices=["private", "shared"],
        default="private",
        help="private: a PostgreSQL cluster and a Redis of the run's own, so drills touch nothing "
        "else on the machine; shared: the machine's on 127.0.0.1:5432 and :6379",
    )
    p.add_argument(
        "--redis-db", type=int, default=9, help="Redis database of the cache; the broker's is the next"
    )
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out-dir", default=str(RESULTS))
    p.add_argument("--max-wall", type=float, default=3600, help="stop the run after this many s")
    a = p.parse_args(argv)
    if a.scenario == "faults":
        a.candidates = a.candidates or 60
        a.think = a.think or 2.0
        a.login_window = a.login_window if a.login_window is not None else 10
        a.spike = a.spike if a.spike is not None else 10
        a.database = a.database if a.database != "fitsm_bench_examday" else "fitsm_bench_faults"
    else:
        a.candidates = a.candidates or 200
        a.think = a.think or 20.0
        a.login_window = a.login_window if a.login_window is not None else max(10, a.candidates * 0.15)
        a.spike = a.spike if a.spike is not None else min(60, max(5, a.candidates / 17))
    if not 1 <= a.candidates <= 5000:
        p.error("--candidates must be 1-5000")
    a.minutes = a.minutes or examday.exam_minutes(a.think)
    return a


def _time_limit(a):
    return a.login_window + a.spike + a.minutes * 60 + a.grace + 120


def exam_round(ctx, name, *, n, during=None, offline=(), prefix=None):
    a = ctx.args
    t0 = time.monotonic()
    sitting = examday.make_sitting(ctx, n, minutes=a.minutes, prefix=prefix or name)
    made = time.monotonic() - t0
    plan = examday.plan_exam_day(
        ctx,
        sitting,
        think=a.think,
        login_window=a.login_window,
        spike=a.spike,
        seed=a.seed,
        offline=offline,
        time_limit=_time_limit(a),
    )
    print(
        f"[{name}] {n} candidates made in {made:.1f} s; exam {a.minutes} min, think {a.think} s…", flush=True
    )
    result = examday.run_loadgen(ctx, plan, name, during=during)
    settle = examday.settle(sitting["sitting_id"], grace=a.grace, limit_s=max(240, a.grace + 200))
    check = examday.integrity(sitting["sitting_id"], result)
    rows = result["requests"]
    out = {
        "name": name,
        "candidates": n,
        "make_sitting": {"wall_s": sitting["wall_s"], "seconds": sitting.get("seconds")},
        "endpoints": stats.endpoint_table(rows),
        "timeline": stats.timeline(rows),
        "memory": stats.memory_peaks(result["samples"]),
        "cpu": stats.cpu_use(result["samples"]),
        "samples": result["samples"],
        "settle": settle,
        "integrity": check,
        "loadgen": {
            "cpu_s": result["loadgen_cpu_s"],
            "wall_s": result["wall_s"],
            "timed_out": result["timed_out"],
        },
        "drill": result.get("drill"),
        "restarts_by_supervisor": result.get("restarts"),
        "windows": _windows(rows, a),
        "stopped": _stopped(result),
    }
    examples = {}
    for r in rows:
        if len(r) > 5 and r[5] and r[1] not in ("offline", "mark") and "simulated" not in r[5]:
            examples.setdefault(f"{r[1]} {r[2]}", r[5])
    out["error_examples"] = examples
    out["server_errors"] = stats.server_errors(rows)
    served = {}
    for c in result["candidates"]:
        for node, count in (c.get("nodes") or {}).items():
            served[node] = served.get(node, 0) + count
    if served:
        out["nodes"] = {
            "requests_by_node": served,
            "candidates_served_by_every_node": sum(
                1 for c in result["candidates"] if len(c.get("nodes") or {}) == len(served)
            ),
        }
    if offline:
        out["offline_replay"] = _offline_replay(rows, [i for i, _ in offline], result)
    drill = out["drill"]
    if drill and drill.get("at_epoch") is not None and result.get("epoch0"):
        # drill times on the load generator's clock (its t = 0 is a little after the orchestrator's)
        for key in ("at", "back_at"):
            if drill.get(f"{key}_epoch") is not None:
                drill[key] = round(drill[f"{key}_epoch"] - result["epoch0"], 2)
        drill["clients"] = stats.fault_window(rows, drill["at"])
    return out


def _offline_replay(rows, indexes, result):
    """For the candidates cut off for 30 s: how many sends failed while offline, how soon after
    the connection returned the queue was sent, and whether anything was left unsent."""
    out = []
    for i in indexes:
        mark = next((r[0] for r in rows if r[4] == i and r[1] == "offline"), None)
        if mark is None:
            continue
        back = mark + 30
        tried = sum(
            1 for r in rows if r[4] == i and r[2] == 0 and len(r) > 5 and r[5] and "simulated" in r[5]
        )
        after = sorted(
            r[0] + r[3] / 1000
            for r in rows
            if r[4] == i and r[1] == "save" and r[0] >= back - 0.5 and 0 < r[2] < 400
        )
        burst_end = after[0] if after else None
        for t in after[1:]:
            if t - burst_end > 1.5:  # the replay is back to back; a gap is the next answer
                break
            burst_end = t
        c = result["candidates"][i]
        out.append(
            {
                "candidate": i,
                "failed_sends_while_offline": tried,
                "first_save_after_reconnect_s": round(after[0] - back, 2) if after else None,
                "queue_sent_after_reconnect_s": round(burst_end - back, 2) if burst_end else None,
                "unsent_at_end": c["unsent"],
            }
        )
    return out


def _stopped(result):
    counts = {}
    for c in result["candidates"]:
        if c.get("stopped"):
            counts[c["stopped"]] = counts.get(c["stopped"], 0) + 1
    return counts


def _ms(x):
    return None if x is None else round(x, 1)


def _windows(rows, a):
    """Sign-in and start as the targets state them."""
    logins = sorted((r[0], r[3]) for r in rows if r[1] == "login" and 0 < r[2] < 400)
    starts = sorted((r[0], r[3]) for r in rows if r[1] == "start" and 0 < r[2] < 400)
    out = {}
    if logins:
        out["sign_in_span_s"] = round(logins[-1][0] + logins[-1][1] / 1000 - logins[0][0], 1)
        best30 = max(sum(1 for t, _ in logins if s <= t < s + 30) for s, _ in logins)
        out["most_sign_ins_in_any_30_s"] = best30
    if starts:
        last_start = starts[-1][0] + starts[-1][1] / 1000
        out["start_span_s"] = round(last_start - starts[0][0], 1)
        # The answering on its own: saves sent once every candidate has started (the figures of
        # the whole run include the sign-in and start spikes they overlap).
        after = sorted(r[3] for r in rows if r[1] == "save" and r[0] >= last_start and 0 < r[2] < 400)
        shed = sum(1 for r in rows if r[1] == "save" and r[0] >= last_start and r[2] == 503)
        if after:
            out["saves_after_last_start"] = {
                "ok": len(after),
                "p95_ms": _ms(percentile(after, 95)),
                "p99_ms": _ms(percentile(after, 99)),
                "shed_503": shed,
            }
    return out


# -- floors -----------------------------------------------------------------------------------
def floors(ctx, *, profile):
    a = ctx.args
    out = {}
    c = a.saturation_clients
    sat = examday.make_sitting(ctx, c, minutes=120, prefix="saturation")
    print(
        f"[floors] HTTP floor and save saturation with {c} closed-loop clients, {a.saturation_seconds} s each…",
        flush=True,
    )
    plan = examday.plan_closed_loop(ctx, sat, mode="floor", duration=a.saturation_seconds, seed=1)
    floor_mark = Path(ctx.workdir) / "floor.begun"
    plan["mark_file"] = str(floor_mark)
    spy_floor = {}
    during = (
        (lambda proc, t0: _profile(ctx, spy_floor, a.saturation_seconds, floor_mark)) if profile else None
    )
    floor = examday.run_loadgen(ctx, plan, "floor", during=during)
    out["http_floor"] = _loop_figures(floor, "floor")
    plan = examday.plan_closed_loop(ctx, sat, mode="saturate", duration=a.saturation_seconds, seed=2)
    mark = Path(ctx.workdir) / "saturate.begun"
    plan["mark_file"] = str(mark)
    spy = {}
    during = (lambda proc, t0: _profile(ctx, spy, a.saturation_seconds, mark)) if profile else None
    saturate = examday.run_loadgen(ctx, plan, "saturate", during=during)
    out["save_saturation"] = _loop_figures(saturate, "save")
    check = examday.integrity(sat["sitting_id"], saturate)
    out["save_saturation"]["lost"] = check["lost"]
    plan = examday.plan_closed_loop(ctx, sat, mode="clock", duration=a.saturation_seconds, seed=3)
    out["clock_poll"] = _loop_figures(examday.run_loadgen(ctx, plan, "clock"), "clock")
    out["pgbench"] = pgbench(ctx, clients=c, seconds=a.saturation_seconds)
    out["weasyprint_one_line_ms"] = weasyprint_floor()
    out["password_check_ms"] = hasher_floor()
    if spy:
        out["profile"] = spy
    if spy_floor:
        out["profile_floor"] = spy_floor
    return out


def _loop_figures(result, endpoint):
    rows = result["requests"]
    begin = next((r[0] for r in rows if r[1] == "mark"), 0.0)
    mine = [r for r in rows if r[1] == endpoint and r[0] >= begin]
    ok = sorted(r[3] for r in mine if 0 < r[2] < 400)
    span = max((r[0] + r[3] / 1000 for r in mine), default=begin) - begin
    from .load import percentile

    shed = sorted(r[3] for r in mine if r[2] == 503)
    return {
        "requests": len(mine),
        "ok": len(ok),
        "errors": len(mine) - len(ok),
        "shed_503": len(shed),
        "shed_p50_ms": percentile(shed, 50),
        "shed_p95_ms": percentile(shed, 95),
        "per_second": round(len(ok) / span, 1) if span > 0 else None,
        "p50_ms": percentile(ok, 50),
        "p95_ms": percentile(ok, 95),
        "p99_ms": percentile(ok, 99),
        "memory": stats.memory_peaks(result["samples"]),
        "loadgen_cpu_s": result["loadgen_cpu_s"],
    }


def pgbench(ctx, *, clients, seconds):
    """pgbench with the single-row update an answer save needs, on a scratch table of the bench DB."""
    import psycopg

    url = SERVICES.pg_url(ctx.database, scheme="postgresql")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor")
        conn.execute(
            "CREATE TABLE bench_floor (id int PRIMARY KEY, chosen bigint, flagged bool NOT NULL DEFAULT false, "
            "seq bigint NOT NULL DEFAULT 0, saved_at timestamptz)"
        )
        conn.execute("INSERT INTO bench_floor (id) SELECT g FROM generate_series(1, 60000) g")
    script = Path(ctx.workdir) / "save.sql"
    script.write_text(
        "\\set id random(1, 60000)\n"
        "UPDATE bench_floor SET chosen = :id, flagged = false, seq = seq + 1, saved_at = now() WHERE id = :id;\n"
    )
    cmd = ["pgbench", "-n", "-h", "127.0.0.1", "-p", str(SERVICES.pg_port), "-U", "postgres"]
    cmd += ["-c", str(clients), "-j", "2"]
    cmd += ["-T", str(int(seconds)), "-f", str(script), ctx.database]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    tps = None
    latency = None
    for line in out.stdout.splitlines():
        if line.startswith("tps ="):
            tps = float(line.split()[2])
        if line.startswith("latency average"):
            latency = float(line.split()[3])
    return {"tps": tps, "latency_avg_ms": latency, "clients": clients, "ok": out.returncode == 0}


def weasyprint_floor(n=8):
    from weasyprint import HTML

    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        HTML(string="<p>One line.</p>").write_pdf()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return round(times[len(times) // 2], 1)


def hasher_floor(n=8):
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("benchmark-password")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        check_password("benchmark-password", encoded)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"ms": round(times[len(times) // 2], 1), "algorithm": encoded.split("$", 1)[0]}


def _profile(ctx, spy, seconds, mark):
    """py-spy on one web worker while the closed loop runs (after its sign-ins and starts);
    top functions by inclusive samples, and a flame graph."""
    for _ in range(600):
        if mark.exists():
            break
        time.sleep(0.1)
    time.sleep(1)
    pids = procs.children(ctx.web.pid)
    if not pids:
        return None
    raw = Path(ctx.workdir) / "profile.txt"
    svg = Path(ctx.args.out_dir) / f"profile-{datetime.now(UTC):%Y%m%dT%H%M%S}.svg"
    exe = Path(sys.executable).parent / "py-spy"
    duration = str(max(3, int(seconds) - 3))
    # --gil: only the thread holding the GIL is sampled, so the shares are of CPU time, not of waiting
    base = [str(exe), "record", "--pid", str(pids[0]), "-d", duration, "-r", "250", "--nonblocking", "--gil"]
    subprocess.run(base + ["--format", "raw", "-o", str(raw)], capture_output=True, timeout=120, check=False)  # noqa: S603
    spy.update(summarise_profile(raw))
    with contextlib.suppress(Exception):
        svg.parent.mkdir(parents=True, exist_ok=True)
        folded = svg.with_suffix(".folded.txt")
        folded.write_text(raw.read_text())
        spy["folded_stacks"] = str(folded)
    return None


def summarise_profile(path):
    inclusive, own = {}, {}
    total = 0
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return {"error": "no profile"}
    for line in lines:
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        count = int(count)
        total += count
        frames = stack.split(";")
        seen = set()
        for f in frames:
            name = f.split(" (")[0] + " " + f.split("/")[-1].rstrip(")") if " (" in f else f
            if name not in seen:
                inclusive[name] = inclusive.get(name, 0) + count
                seen.add(name)
        leaf = frames[-1]
        own[leaf] = own.get(leaf, 0) + count
    top = sorted(inclusive.items(), key=lambda kv: -kv[1])[:40]
    top_own = sorted(own.items(), key=lambda kv: -kv[1])[:20]
    pct = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0)
    return {
        "total_samples": total,
        "inclusive_top": [[k, pct(v)] for k, v in top],
        "self_top": [[k, pct(v)] for k, v in top_own],
    }


# -- targets ------------------------------------------------------------------------------------
def targets(round_, fl, a):
    e = round_["endpoints"]
    out = []

    def add(name, met, value):
        out.append({"target": name, "met": met, "measured": value})

    lg = e.get("login", {})
    w = round_["windows"]
    add(
        "sign-in: no error, login p95 <= 3 s",
        lg.get("errors", 1) == 0 and (lg.get("p95_ms") or 1e9) <= 3000,
        f"{lg.get('ok')} sign-ins over {w.get('sign_in_span_s')} s (most in 30 s: {w.get('most_sign_ins_in_any_30_s')}), "
        f"errors {lg.get('errors')}, p95 {lg.get('p95_ms')} ms"
        + (f" (floor: one password check {fl['password_check_ms']['ms']} ms)" if fl else ""),
    )
    st = e.get("start", {})
    add(
        "start: p95 <= 2 s (all within the spike window)",
        st.get("errors", 1) == 0 and (st.get("p95_ms") or 1e9) <= 2000,
        f"{st.get('ok')} starts over {w.get('start_span_s')} s, errors {st.get('errors')}, p95 {st.get('p95_ms')} ms",
    )
    sv = e.get("save", {})
    add(
        "answering: save p95 <= 150 ms, p99 <= 400 ms",
        (sv.get("p95_ms") or 1e9) <= 150 and (sv.get("p99_ms") or 1e9) <= 400,
        f"{sv.get('ok')} saves at {round(round_['candidates'] / a.think, 1)}/s offered "
        f"({round_['candidates']} candidates, think {a.think} s): p95 {sv.get('p95_ms')} ms, p99 {sv.get('p99_ms')} ms, "
        f"503 {sv.get('shed_503')}, errors {sv.get('errors')}"
        + (
            f"; once every candidate had started: {w['saves_after_last_start']['ok']} saves, "
            f"p95 {w['saves_after_last_start']['p95_ms']} ms, p99 {w['saves_after_last_start']['p99_ms']} ms, "
            f"503 {w['saves_after_last_start']['shed_503']}"
            if w.get("saves_after_last_start")
            else ""
        )
        + (
            f" (floors: trivial authenticated PUT p50 {fl['http_floor']['p50_ms']} ms at saturation, "
            f"pgbench update {fl['pgbench']['latency_avg_ms']} ms)"
            if fl
            else ""
        ),
    )
    if fl:
        http_floor = fl["http_floor"]["per_second"] or 0
        db_floor = fl["pgbench"]["tps"] or 0
        sat = fl["save_saturation"]["per_second"] or 0
        low = min(x for x in (http_floor, db_floor) if x) if (http_floor or db_floor) else 0
        add(
            "saturation: save throughput >= 50 % of min(HTTP floor, DB floor)",
            low > 0 and sat >= 0.5 * low,
            f"saves {sat}/s vs HTTP floor {http_floor}/s, pgbench {db_floor} tps ({round(100 * sat / low) if low else '–'} %)",
        )
    s = round_["settle"]
    graded = s.get("graded_after_own_deadline_plus_grace_s_max")
    add(
        "submit: all graded within 30 s of deadline + grace",
        graded is not None and graded <= 30 and round_["integrity"]["not_graded"] == 0,
        f"latest grade {graded} s after its own deadline + grace (expiry sweep every 15 s); "
        f"the last grade {s.get('all_graded_after_last_deadline_s')} s after the last deadline",
    )
    cert = s.get("all_certified_with_pdf_after_last_deadline_s")
    add(
        "certificates: every pass certified with PDF within 120 s of deadline + grace (one worker)",
        cert is not None and cert - a.grace <= 120 and round_["integrity"]["certificates_without_pdf"] == 0,
        f"{round_['integrity']['passes']} passes; the last PDF written {cert} s after the last deadline "
        f"({None if cert is None else round(cert - a.grace, 1)} s after deadline + grace; one Celery worker, "
        f"concurrency {a.celery_concurrency}, --max-memory-per-child {a.celery_max_memory_mb} MB)"
        + (f" (floor: WeasyPrint one-line page {fl['weasyprint_one_line_ms']} ms)" if fl else ""),
    )
    m = round_["memory"]
    add(
        "memory: web worker <= 250 MB, Celery worker <= 300 MB",
        (m["web_worker_rss_max_mb"] or 0) <= 250 and (m.get("celery_total_pss_max_mb") or 0) <= 300,
        f"largest web worker {m['web_worker_rss_max_mb']} MB RSS; Celery worker (main + {a.celery_concurrency} "
        f"pool processes) {m.get('celery_total_pss_max_mb')} MB PSS in all (shared pages counted once; "
        f"{m['celery_total_rss_max_mb']} MB if each process's RSS is added up, largest process "
        f"{m['celery_process_rss_max_mb']} MB RSS)",
    )
    add("integrity", round_["integrity"]["ok"], _integrity_line(round_["integrity"]))
    return out


def _integrity_line(i):
    return (
        f"{i['acknowledged_saves']} acknowledged saves, {i['acknowledged_answers_checked']} last answers checked, "
        f"lost {i['lost']}, wrong scores {i['wrong_score']}, graded not exactly once {i['graded_not_exactly_once']}, "
        f"certificate errors {i['certificate_errors']}, without PDF {i['certificates_without_pdf']}, "
        f"expired by the sweep {i['expired_by_sweep']}"
    )


# -- drills -------------------------------------------------------------------------------------
def drill_kill_worker(ctx, log):
    def during(proc, t0):
        time.sleep(ctx.args.login_window + ctx.args.spike + 25)
        pids = procs.children(ctx.web.pid)
        at, epoch = time.monotonic() - t0, time.time()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
        log(f"kill -9 web worker {pids[:1]} at {at:.1f} s")
        return {"drill": "kill -9 a gunicorn worker", "at": at, "at_epoch": epoch, "killed": pids[:1]}

    return during


def drill_restart_postgres(ctx, log):
    def during(proc, t0):
        time.sleep(ctx.args.login_window + ctx.args.spike + 25)
        at, epoch = time.monotonic() - t0, time.time()
        out = procs.pg_action("restart")
        back, back_epoch = time.monotonic() - t0, time.time()
        log(f"PostgreSQL restarted at {at:.1f} s (rc {out.returncode}), answering again at {back:.1f} s")
        return {
            "drill": "restart PostgreSQL",
            "at": at,
            "back_at": back,
            "at_epoch": epoch,
            "back_at_epoch": back_epoch,
            "rc": out.returncode,
        }

    return during


def drill_stop_celery(ctx, log):
    def during(proc, t0):
        time.sleep(ctx.args.login_window + ctx.args.spike + 10)
        at, epoch = time.monotonic() - t0, time.time()
        ctx.worker_paused = True
        ctx.worker.stop()
        log(f"Celery worker stopped at {at:.1f} s")
        # start it 60 s after the last deadline: the last start + exam time
        last_deadline = ctx.args.login_window + ctx.args.spike + 2 + ctx.args.minutes * 60
        time.sleep(max(0, last_deadline + ctx.args.celery_back_after - (time.monotonic() - t0)))
        ctx.worker = procs.celery_worker(
            ctx.env,
            concurrency=ctx.args.celery_concurrency,
            log=ctx.log,
            max_memory_mb=ctx.args.celery_max_memory_mb,
        )
        ctx.worker_paused = False
        back, back_epoch = time.monotonic() - t0, time.time()
        log(f"Celery worker started again at {back:.1f} s")
        what = f"stop the Celery worker, start it {ctx.args.celery_back_after:.0f} s after the deadlines"
        return {"drill": what, "at": at, "back_at": back, "at_epoch": epoch, "back_at_epoch": back_epoch}

    return during


def drill_stop_redis(ctx, log):
    def during(proc, t0):
        time.sleep(ctx.args.login_window + ctx.args.spike + 20)
        at, epoch = time.monotonic() - t0, time.time()
        procs.redis_stop()
        log(f"Redis stopped at {at:.1f} s")
        time.sleep(30)
        procs.redis_start()
        back, back_epoch = time.monotonic() - t0, time.time()
        log(f"Redis started again at {back:.1f} s")
        return {
            "drill": "stop Redis for 30 s mid-exam",
            "at": at,
            "back_at": back,
            "at_epoch": epoch,
            "back_at_epoch": back_epoch,
        }

    return during


DRILLS = {
    "kill-worker": drill_kill_worker,
    "restart-postgres": drill_restart_postgres,
    "stop-celery": drill_stop_celery,
    "stop-redis": drill_stop_redis,
}


# -- scenarios ----------------------------------------------------------------------------------
def scenario_exam_day(a, results, log):
    with examday.environment_up(a) as ctx:
        results["setup_notes"] = ctx.notes
        r = exam_round(ctx, "exam-day", n=a.candidates)
        results["rounds"].append(r)
        if a.floors:
            results["floors"] = floors(ctx, profile=a.profile)
        results["targets"] = targets(r, results.get("floors"), a)
        results["teardown_notes"] = ctx.notes


def scenario_faults(a, results, log):
    wanted = [d.strip() for d in a.drills.split(",") if d.strip()]
    with examday.environment_up(a) as ctx:
        try:
            for name in wanted:
                if name == "offline-client":
                    k = min(10, a.candidates)
                    offline = [(i, 30.0) for i in range(k)]
                    r = exam_round(ctx, name, n=a.candidates, offline=offline)
                    r["drill"] = {
                        "drill": f"{k} clients offline for 30 s, 30 s after their start",
                        "offline_clients": k,
                    }
                else:
                    r = exam_round(ctx, name, n=a.candidates, during=DRILLS[name](ctx, log))
                results["rounds"].append(r)
                log(
                    f"[{name}] integrity: {'OK' if r['integrity']['ok'] else 'FAILED'}; {_integrity_line(r['integrity'])}"
                )
                ctx.notes += procs.services_restore()
        finally:
            ctx.notes += procs.services_restore()
        results["teardown_notes"] = ctx.notes


def markdown(results, stem, out_dir):
    a = results["config"]
    lines = [f"# Benchmark `{results['scenario']}` — {results['started']}", ""]
    m = results["machine"]
    lines.append(
        f"Machine: {m['cpus']} CPUs, {m['memory']}; load average at start {m['load_average']}"
        + (" (the machine was busy before the run began)" if (m["load_average"] or [0])[0] >= 1.0 else "")
        + f", at the end {results.get('load_end')}. "
        f"gunicorn {a['workers']} × {a['threads']} threads (gthread, config/gunicorn.py), overload shedding "
        f"{'off' if a['no_shed'] else str(a['shed_budget_ms']) + ' ms budget'}; one Celery worker "
        f"(concurrency {a['celery_concurrency']}) and beat; Redis broker and cache; PostgreSQL 15"
        + (
            " (a cluster and a Redis of the run's own, default configuration). "
            if a.get("services", "shared") == "private"
            else " (the machine's shared services). "
        )
        + "Load generator: separate asyncio processes (a lean HTTP/1.1 client, one keep-alive "
        + "connection per exam page) on the same 2 cores."
    )
    lines.append("")
    lines.append(
        f"Time compression: each candidate saves an answer every {a['think']} s on average (exponential think "
        f"time) instead of the ~90 s a real candidate takes on a 30-minute, 20-question FitSM Foundation exam, "
        f"so the exam lasts {a['minutes']} min instead of 30; the server sees "
        f"{round(a['candidates'] / a['think'], 1)} saves/s offered, what {round(a['candidates'] * 90 / a['think'])} "
        f"real candidates would send. Sign-ins spread over {a['login_window']} s, starts over {a['spike']} s; "
        "5 % never submit (closed by the expiry sweep), 20 % submit early, the rest at the deadline (the page's timer)."
    )
    if results.get("targets"):
        lines += ["", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
        for t in results["targets"]:
            lines.append(f"| {t['target']} | {'yes' if t['met'] else '**no**'} | {t['measured']} |")
    for r in results["rounds"]:
        lines += ["", f"## Round `{r['name']}` — {r['candidates']} candidates", ""]
        if r.get("drill"):
            d = dict(r["drill"])
            lines.append(f"Drill: {d.pop('drill', '')}. " + json.dumps(d, default=str))
            lines.append("")
        lines.append(report_md.md_table(r["endpoints"]))
        lines.append("")
        lines.append(f"- make_sitting: {r['make_sitting']}")
        lines.append(f"- after the deadlines: {json.dumps(r['settle'], default=str)}")
        lines.append(
            f"- integrity: {'OK' if r['integrity']['ok'] else 'FAILED'} — {_integrity_line(r['integrity'])}"
            f"; server errors (5xx other than 503): {r.get('server_errors', {}).get('count', 0)}"
        )
        if r["integrity"]["problems"]:
            lines.append(f"- problems: {r['integrity']['problems'][:8]}")
        if r.get("error_examples"):
            lines.append(f"- first error of each kind: {r['error_examples']}")
        lines.append(f"- memory and load: {r['memory']}")
        if r.get("cpu"):
            lines.append(f"- CPU (mean cores used, and the machine's idle and stolen share): {r['cpu']}")
        lines.append(f"- load generator: {r['loadgen']}; candidates stopped early: {r['stopped'] or 'none'}")
        lines.append(f"- windows: {r['windows']}")
        if r.get("nodes"):
            lines.append(f"- nodes (HAProxy round robin): {r['nodes']}")
        if r.get("offline_replay"):
            lines.append(f"- offline clients (replay after the connection returned): {r['offline_replay']}")
        if r.get("restarts_by_supervisor"):
            lines.append(
                f"- restarted by the supervisor (exited on their own): {r['restarts_by_supervisor']}"
            )
        png = f"{stem}-{r['name']}.png"
        marks = []
        if r.get("drill") and r["drill"].get("at") is not None:
            marks.append((r["drill"]["at"], r["drill"]["drill"]))
            if r["drill"].get("back_at"):
                marks.append((r["drill"]["back_at"], "restored"))
        try:
            report_md.chart(
                Path(out_dir) / png,
                r["timeline"],
                r["samples"],
                f"{results['scenario']} / {r['name']}",
                marks,
            )
            lines += ["", f"![latency over time]({png})"]
        except Exception as exc:  # a missing matplotlib must not lose the figures
            lines.append(f"(chart not drawn: {exc})")
    fl = results.get("floors")
    if fl:
        lines += ["", "## Floors (same run, same machine)", ""]
        lines.append(f"- HTTP floor, trivial authenticated PUT through the same gunicorn: {fl['http_floor']}")
        if fl.get("clock_poll"):
            rate = fl["clock_poll"]["per_second"] or 0
            lines.append(
                f"- the exam page's clock poll, closed loop (answered before Django's middleware): {fl['clock_poll']}"
                + (
                    f" — at one poll per 5 s per idle page, this serves {int(rate * 5):,} idle exam pages"
                    if rate
                    else ""
                )
            )
        lines.append(f"- save saturation, closed loop: {fl['save_saturation']}")
        lines.append(f"- pgbench, the single-row update a save needs: {fl['pgbench']}")
        lines.append(f"- WeasyPrint, a one-line page: {fl['weasyprint_one_line_ms']} ms")
        lines.append(f"- one password check with the configured hasher: {fl['password_check_ms']}")
        if fl.get("profile"):
            lines += ["", "### Profile of a web worker during save saturation (py-spy, inclusive %)", ""]
            for name, pct in fl["profile"].get("inclusive_top", [])[:30]:
                lines.append(f"- {pct} % {name}")
        if fl.get("profile_floor"):
            lines += ["", "### Profile of a web worker serving the HTTP floor (py-spy, inclusive %)", ""]
            for name, pct in fl["profile_floor"].get("inclusive_top", [])[:30]:
                lines.append(f"- {pct} % {name}")
    path = Path(out_dir) / f"{stem}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("exam-day", "faults"):
        from . import legacy

        if argv and argv[0] == "legacy":
            argv = argv[1:]
        return legacy.main(argv)
    a = _args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGALRM, _stop)
    signal.alarm(int(a.max_wall))
    from .report import machine

    started = datetime.now(UTC)
    stem = f"{a.scenario}-{started:%Y%m%dT%H%M%SZ}"
    results = {
        "scenario": a.scenario,
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "config": vars(a),
        "rounds": [],
    }
    notes = []

    def log(text):
        notes.append(text)
        print(text, flush=True)

    ok = False
    try:
        (scenario_faults if a.scenario == "faults" else scenario_exam_day)(a, results, log)
        ok = True
    finally:
        signal.alarm(0)
        restored = procs.services_restore()
        results["log"] = notes + restored
        results["load_end"] = [round(x, 1) for x in os.getloadavg()]
        out_dir = Path(a.out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        if results["rounds"]:
            slim = json.loads(json.dumps(results, default=str))
            json_path = report_md.write(slim, out_dir, stem)
            md = markdown(results, stem, out_dir)
            for r in results["rounds"]:
                print(
                    report_md.console_table(
                        f"\n{a.scenario} / {r['name']} ({r['candidates']} candidates)", r["endpoints"]
                    )
                )
                print(
                    f"  integrity: {'OK' if r['integrity']['ok'] else 'FAILED'}; {_integrity_line(r['integrity'])}"
                    f"; server errors: {r.get('server_errors', {})}"
                )
                if r["integrity"]["problems"]:
                    print(f"  problems: {r['integrity']['problems'][:5]}")
                print(f"  after the deadlines: {r['settle']}")
                if r.get("drill"):
                    print(f"  drill: {json.dumps(r['drill'], default=str)}")
                if r.get("restarts_by_supervisor"):
                    print(f"  restarted by the supervisor: {r['restarts_by_supervisor']}")
            for t in results.get("targets", []):
                print(f"  target {'MET ' if t['met'] else 'MISSED'} {t['target']}: {t['measured']}")
            print(f"results: {json_path}\nreport:  {md}")
    failed = [r["name"] for r in results["rounds"] if not r["integrity"]["ok"]]
    erred = [r["name"] for r in results["rounds"] if r.get("server_errors", {}).get("count")]
    if failed or erred or not ok:
        reasons = []
        if failed:
            reasons.append(f"integrity errors in {failed}")
        if erred:
            reasons.append(f"server errors (HTTP 5xx other than 503) in {erred}")
        print(f"BENCHMARK FAILED: {'; '.join(reasons)}" if reasons else "BENCHMARK FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
