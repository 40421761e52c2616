"""The first benchmark (`python -m bench.run legacy [--quick] [--candidates N[,N…]] [--json out.json]`).

Creates its own PostgreSQL database (fitsm_bench by default) on 127.0.0.1:5432, migrates it,
serves the production settings with gunicorn on a free local port, drives it over HTTP, checks
that no acknowledged answer was lost, then stops the server and drops the database."""

import argparse
import os
import random
import signal
import sys
import time
from pathlib import Path

from . import environment, report
from .load import Request, drive, percentile
from .server import gunicorn

QUICK = {"candidates": [20], "certificates": 2000, "verify_requests": 300, "on_demand": 10, "threads": 8}
FULL = {
    "candidates": [50, 200],
    "certificates": 10_000,
    "verify_requests": 2000,
    "on_demand": 30,
    "threads": 16,
}
PHASE_TIME_LIMIT = 300  # seconds, per phase


class BenchFailure(Exception):
    """A correctness check failed: the figures of this run are not to be trusted."""


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run legacy", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small numbers (a smoke run)")
    parser.add_argument("--candidates", help="comma-separated candidate counts, e.g. 50,200")
    parser.add_argument("--certificates", type=int, help="certificates in the database for verification")
    parser.add_argument("--threads", type=int, help="client threads (default 16, quick 8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--database", default="fitsm_bench", help="database to create and drop (fitsm_bench…)"
    )
    parser.add_argument("--json", dest="json_path", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    config = dict(QUICK if args.quick else FULL)
    if args.candidates:
        config["candidates"] = [int(n) for n in args.candidates.split(",") if n.strip()]
    if args.certificates:
        config["certificates"] = args.certificates
    if args.threads:
        config["threads"] = args.threads
    config["workers"] = args.workers
    config["quick"] = args.quick
    if not all(1 <= n <= 2000 for n in config["candidates"]) or not 1 <= config["certificates"] <= 200_000:
        parser.error("candidates must be 1–2000 and certificates 1–200000")
    return args, config


def _summary_of(seconds):
    values = sorted(seconds)
    total = sum(values)
    return {
        "requests": len(values),
        "ok": len(values),
        "failed": 0,
        "per_second": round(len(values) / total, 1) if total else 0.0,
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1),
    }


def _require(condition, message, failures):
    if not condition:
        failures.append(message)


def exam_round(data, cert, n, port, config, phases, failures):
    users = data.users_create(f"cand{n}", n)
    sitting, assembly = data.scheduled_sitting_with_candidates(cert, users)
    phases.append(
        {
            "name": f"assemble 30 of 150 (in-process), N={n}",
            "summary": _summary_of(assembly),
            "notes": [],
        }
    )
    sessions = [data.session_for(u) for u in users]

    start = drive(
        port,
        [
            [Request("POST", f"/api/v1/sittings/{sitting.pk}/attempts", {}, cookies, csrf, expect=201)]
            for cookies, csrf in sessions
        ],
        threads=config["threads"],
        time_limit=PHASE_TIME_LIMIT,
    )
    phases.append({"name": f"start attempt (HTTP), N={n}", "summary": start.summary()})
    attempt_of = {o.job: o.data["id"] for o in start.ok}
    _require(len(attempt_of) == n, f"N={n}: {n - len(attempt_of)} attempts did not start", failures)
    _require(
        all(o.data["question_count"] == 30 and len(o.data["questions"]) == 30 for o in start.ok),
        f"N={n}: a started attempt did not have 30 questions",
        failures,
    )

    jobs, plans, expected = [], [], {}
    for job, (cookies, csrf) in enumerate(sessions):
        if job not in attempt_of:
            continue
        aid = attempt_of[job]
        plan, expected[aid] = data.answer_plan(aid, seed=aid)
        plans.append((aid, plan))
        jobs.append(
            [
                Request("PUT", f"/api/v1/attempts/{aid}/answers/{p}", {"key": k, "seq": s}, cookies, csrf)
                for p, k, s in plan
            ]
        )
    saves = drive(port, jobs, threads=config["threads"], time_limit=PHASE_TIME_LIMIT)
    acks = {aid: {"count": 0, "last": {}} for aid, _ in plans}
    wrong_echo = 0
    for o in saves.ok:
        aid, plan = plans[o.job]
        position, key, seq = plan[o.step]
        if o.data["seq"] != seq or o.data["key"] != key or o.data["position"] != position:
            wrong_echo += 1
        acks[aid]["count"] += 1
        acks[aid]["last"][position] = (key, seq)
    acknowledged = sum(a["count"] for a in acks.values())
    stored, mismatches = data.saves_check(acks)
    lost = max(0, acknowledged - stored) + len(mismatches)
    phase = {
        "name": f"save answer (HTTP PUT), N={n}",
        "summary": saves.summary(),
        "notes": [f"acknowledged {acknowledged}, stored {stored}, lost {lost}"],
        "acknowledged": acknowledged,
        "stored": stored,
        "lost": lost,
    }
    phases.append(phase)
    planned = sum(len(j) for j in jobs)
    _require(lost == 0, f"N={n}: {lost} acknowledged answers are not stored: {mismatches[:5]}", failures)
    _require(wrong_echo == 0, f"N={n}: {wrong_echo} saves echoed another answer than sent", failures)
    _require(
        acknowledged == planned,
        f"N={n}: {planned - acknowledged} of {planned} saves were not acknowledged",
        failures,
    )
    if saves.failed:
        failures.append(f"N={n}: save failures, e.g. {saves.failed[0].error}")

    submit = drive(
        port,
        [
            [Request("POST", f"/api/v1/attempts/{aid}/submit", None, cookies, csrf)]
            for (aid, _), (cookies, csrf) in zip(
                plans, [sessions[j] for j in sorted(attempt_of)], strict=True
            )
        ],
        threads=config["threads"],
        time_limit=PHASE_TIME_LIMIT,
    )
    graded = data.grading_check([aid for aid, _ in plans], expected)
    phases.append(
        {
            "name": f"submit: grade + certificate (HTTP), N={n}",
            "summary": submit.summary(),
            "notes": [
                f"graded {graded['graded']}, passed {graded['passed']}, certificates {graded['certificates']}; "
                f"submitted→graded p50 {graded['grading_p50_ms']} ms (the rest of the request is the "
                "certificate PDF and e-mail, run in-process without a broker)"
            ],
        }
    )
    _require(not submit.failed, f"N={n}: submit failures, e.g. {submit.failed[:1]}", failures)
    _require(not graded["wrong"], f"N={n}: attempts graded wrongly: {graded['wrong'][:3]}", failures)
    _require(
        graded["certificates"] == graded["passed"] == len(plans),
        f"N={n}: {len(plans)} attempts, {graded['passed']} passed, {graded['certificates']} certificates",
        failures,
    )


def on_demand_round(data, cert, port, config, phases, failures):
    m = config["on_demand"]
    users = data.users_create("ondemand", m)
    sitting = data.on_demand_sitting_with_candidates(cert, users)
    sessions = [data.session_for(u) for u in users]
    begin = drive(
        port,
        [
            [Request("POST", f"/api/v1/sittings/{sitting.pk}/attempts", {}, cookies, csrf, expect=201)]
            for cookies, csrf in sessions
        ],
        threads=min(4, config["threads"]),
        time_limit=PHASE_TIME_LIMIT,
    )
    phases.append({"name": f"begin on demand: assemble + start (HTTP), M={m}", "summary": begin.summary()})
    _require(len(begin.ok) == m, f"on demand: {m - len(begin.ok)} attempts did not begin", failures)


def verification_round(data, cert, port, config, phases, failures):
    count = config["certificates"]
    t0 = time.perf_counter()
    codes = data.certificates_bulk(cert, count)
    setup = time.perf_counter() - t0
    rng = random.Random(29)
    sample = [rng.choice(codes) for _ in range(config["verify_requests"])]
    page = drive(
        port,
        [[Request("GET", f"/verify/{code}/")] for code in sample],
        threads=config["threads"],
        time_limit=PHASE_TIME_LIMIT,
    )
    phases.append(
        {
            "name": f"GET /verify/{{code}}/, {count} certificates",
            "summary": page.summary(),
            "notes": [f"{count} certificates written in {setup:.1f} s"],
        }
    )
    api = drive(
        port,
        [[Request("GET", f"/api/v1/certificates/{code}")] for code in sample],
        threads=config["threads"],
        time_limit=PHASE_TIME_LIMIT,
    )
    phases.append({"name": f"GET /api/v1/certificates/{{code}}, {count}", "summary": api.summary()})
    _require(not page.failed, f"verify page failures, e.g. {page.failed[:1]}", failures)
    _require(not api.failed, f"verify API failures, e.g. {api.failed[:1]}", failures)
    _require(
        all(o.data["code"] == sample[o.job] and o.data["status"] == "valid" for o in api.ok),
        "the verification API answered for another certificate",
        failures,
    )


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: server stopped, database dropped


def main(argv=None):
    args, config = _args(argv)
    signal.signal(signal.SIGTERM, _stop)
    results = {"machine": report.machine(), "config": config, "phases": [], "failures": []}
    phases, failures = results["phases"], results["failures"]
    workdir = environment.workdir_make()
    log_path = Path(workdir) / "bench.log"
    port = environment.free_port()
    env = environment.bench_env(database=args.database, port=port, workdir=workdir)
    started = time.monotonic()
    django_ready = False
    with open(log_path, "w") as log:
        environment.database_create(args.database)
        try:
            print(f"preparing database {args.database} (migrate, collectstatic)…", flush=True)
            environment.prepare(env, log)
            for name in [k for k in os.environ if k.startswith(("CELERY_", "CACHE_URL", "DATABASE_"))]:
                del os.environ[name]
            os.environ.update(env)
            import django

            django.setup()
            django_ready = True
            from . import data

            cert = data.exam_create()
            with gunicorn(env=env, port=port, workers=config["workers"], log=log):
                for n in config["candidates"]:
                    print(f"exam round with {n} candidates…", flush=True)
                    exam_round(data, cert, n, port, config, phases, failures)
                on_demand_round(data, cert, port, config, phases, failures)
                print(f"verification with {config['certificates']} certificates…", flush=True)
                verification_round(data, cert, port, config, phases, failures)
        finally:
            if django_ready:
                from django.db import connections

                connections.close_all()
            environment.database_drop(args.database)
            environment.workdir_clean(workdir)
    results["total_seconds"] = round(time.monotonic() - started, 1)
    print(report.table(results))
    print(f"total {results['total_seconds']} s; server log: {log_path}")
    if args.json_path:
        report.write_json(results, args.json_path)
    if failures:
        print("BENCHMARK FAILED:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
