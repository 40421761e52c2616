"""A small load driver: bounded client threads, plain http.client, 127.0.0.1 only.

A job is a list of requests one client sends in order (one candidate's answer saves);
jobs are interleaved round-robin so that many candidates are active at once while each
candidate's own requests stay sequential, as from one browser tab."""

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    body: dict | None = None
    cookies: dict = field(default_factory=dict)
    csrf: str | None = None
    expect: int = 200


@dataclass
class Outcome:
    job: int
    step: int
    status: int
    seconds: float
    data: object = None
    error: str = ""

    @property
    def ok(self):
        return not self.error


@dataclass
class Run:
    outcomes: list
    wall_seconds: float
    unfinished: int

    @property
    def ok(self):
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self):
        return [o for o in self.outcomes if not o.ok]

    def summary(self):
        latencies = sorted(o.seconds for o in self.ok)
        return {
            "requests": len(self.outcomes),
            "ok": len(latencies),
            "failed": len(self.failed) + self.unfinished,
            "per_second": round(len(latencies) / self.wall_seconds, 1) if self.wall_seconds else 0.0,
            "p50_ms": _ms(percentile(latencies, 50)),
            "p95_ms": _ms(percentile(latencies, 95)),
            "p99_ms": _ms(percentile(latencies, 99)),
            "max_ms": _ms(latencies[-1] if latencies else None),
            "wall_s": round(self.wall_seconds, 2),
        }


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-p * len(sorted_values) // 100))
    return sorted_values[int(rank) - 1]


def send(port, req, timeout=30):
    headers = {"Host": "127.0.0.1", "Accept": "application/json"}
    cookies = dict(req.cookies)
    if req.csrf:
        cookies["csrftoken"] = req.csrf
        headers["X-CSRFToken"] = req.csrf
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    payload = None
    if req.body is not None:
        payload = json.dumps(req.body).encode()
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(req.method, req.path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, response.getheader("Content-Type", ""), raw
    finally:
        conn.close()


def drive(port, jobs, *, threads, time_limit):
    """Run every job (a list of Request) with at most `threads` clients and stop at `time_limit` seconds."""
    work = queue.Queue()
    for index in range(len(jobs)):
        if jobs[index]:
            work.put((index, 0))
    remaining = [sum(1 for j in jobs if j)]
    lock = threading.Lock()
    outcomes = []
    started = time.monotonic()
    deadline = started + time_limit

    def client():
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
            try:
                job, step = work.get(timeout=0.1)
            except queue.Empty:
                continue
            req = jobs[job][step]
            t0 = time.perf_counter()
            error, data, status = "", None, 0
            try:
                status, content_type, raw = send(port, req)
                if status != req.expect:
                    error = f"HTTP {status}: {raw[:200]!r}"
                elif content_type.startswith("application/json") and raw:
                    data = json.loads(raw)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - t0
            with lock:
                outcomes.append(Outcome(job, step, status, seconds, data, error))
                if step + 1 < len(jobs[job]) and not error:
                    work.put((job, step + 1))
                else:
                    remaining[0] -= 1

    pool = [threading.Thread(target=client, daemon=True) for _ in range(max(1, threads))]
    for t in pool:
        t.start()
    for t in pool:
        t.join(time_limit + 35)
    wall = time.monotonic() - started
    return Run(outcomes=outcomes, wall_seconds=wall, unfinished=remaining[0])
