"""The load generator: a separate process (`python -m bench.loadgen PLAN.json RESULT.json`),
asyncio with a lean HTTP/1.1 client (bench.http1, one keep-alive connection per page), 127.0.0.1
only, every loop bounded in count and in time.

Each simulated candidate behaves as the exam page does (static/js/exam.js): it signs in
through the real login form (GET /accounts/login/, POST with the CSRF token), starts its
attempt with the JSON API, saves every answer with a clock-based, increasing `seq`, keeps
unsent answers in a local queue replayed in order, retries a busy server (503/429), a server
error or a broken connection with the page's backoff (1 s doubling to 15 s, jittered; never
sooner than Retry-After), polls the clock channel as the page does when nothing has answered for a few
seconds (extra time reaches the page that way), and submits at the end or, like the page's
timer, at the deadline. Cookies are
kept per candidate by hand (the production cookies are Secure, which a cookie jar would not
send over plain http on the loopback; a browser treats 127.0.0.1 as a secure context).

Modes: "exam-day" (the scenario), "saturate" (closed-loop answer saves, no think time),
"floor" (the same closed loop against a trivial authenticated view) and "clock" (the same
closed loop against the exam page's clock poll). The result file holds
every request (time, endpoint, status, latency, error) and, per candidate, the last
acknowledged answer per question: what the integrity check compares with the database."""

import asyncio
import contextlib
import json
import random
import re
import sys
import time
from datetime import datetime

from . import http1

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RETRYABLE = {0, 408, 429, 500, 502, 503, 504}
NEVER_SENT = 0  # status recorded for a request that failed without an HTTP answer
BATCH = 50  # answers per batch request, as static/js/exam.js


class Stop(Exception):
    """The candidate's attempt is closed (409) or the run's time is up."""


class Recorder:
    def __init__(self, t0):
        self.t0 = t0
        self.rows = []

    def add(self, cand, endpoint, status, seconds, error=None, retry=0):
        self.rows.append(
            [round(time.monotonic() - self.t0 - seconds, 3), endpoint, status, round(seconds * 1000, 2), cand]
            + ([error[:160] if error else None, retry] if (error or retry) else [])
        )


class Candidate:
    def __init__(self, index, spec, plan, client, rec, rng):
        self.i = index
        self.spec = spec
        self.plan = plan
        self.client = client
        self.rec = rec
        self.rng = rng
        self.cookies = {}
        self.csrf = ""
        self.attempt = None
        self.deadline = None  # monotonic time of the server's deadline
        self.queue = []  # unsent saves, in order
        self.acked = {}  # position -> [key, seq, flagged]
        self.ack_count = 0
        self.last_seq = 0
        self.offline_until = 0.0
        self.submitted = None
        self.closed = False
        self.failures = 0
        self.unsent_at_end = 0
        self.errors_seen = 0
        self.retries = 0
        self.flusher = None
        self.positions, self.options = [], {}
        self.nodes = {}
        self.clock = None  # the attempt's clock poll address
        self.heard = 0.0  # monotonic time of the last answer from the server

    # -- HTTP -------------------------------------------------------------------------------
    def _headers(self, json_body=False, csrf=True):
        h = {"Accept": "application/json" if json_body else "text/html"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if csrf and self.csrf:
            h["X-CSRFToken"] = self.csrf
        return h

    def _keep_cookies(self, response):
        for raw in response.headers.get_list("set-cookie"):
            pair = raw.split(";", 1)[0]
            if "=" in pair:
                name, value = pair.split("=", 1)
                name = name.strip()
                if value in ('""', ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
                if name == "csrftoken":
                    self.csrf = value

    async def request(self, endpoint, method, path, *, json_body=None, form=None, retry=0):
        """One HTTP request, recorded. Returns (status, response or None); status 0 = no answer."""
        if time.monotonic() < self.offline_until:
            self.rec.add(self.i, endpoint, NEVER_SENT, 0.0, "offline (simulated)", retry)
            return NEVER_SENT, None
        headers = self._headers(json_body is not None or path.startswith("/api/"))
        t0 = time.monotonic()
        try:
            if form is not None:
                response = await self.client.request(method, path, data=form, headers=headers)
            else:
                response = await self.client.request(method, path, json=json_body, headers=headers)
        except (http1.HTTPError, OSError) as exc:
            self.errors_seen += 1
            self.rec.add(self.i, endpoint, NEVER_SENT, time.monotonic() - t0, f"{type(exc).__name__}", retry)
            return NEVER_SENT, None
        seconds = time.monotonic() - t0
        node = response.headers.get("x-served-by")
        if node:
            self.nodes[node] = self.nodes.get(node, 0) + 1
        self._keep_cookies(response)
        ok = response.status_code < 400
        if not ok:
            self.errors_seen += 1
        error = None if ok else f"HTTP {response.status_code} {response.text[:100]}"
        self.rec.add(self.i, endpoint, response.status_code, seconds, error, retry)
        return response.status_code, response

    async def backoff(self, response, attempt):
        """As static/js/exam.js: 1 s doubling up to 15 s, jittered by 50-100 %, never sooner than
        Retry-After."""
        cap = min(15.0, 1.0 * 2**attempt)
        wait = cap * (0.5 + self.rng.random() / 2)
        if response is not None:
            with contextlib.suppress(ValueError):
                wait = max(wait, float(response.headers.get("retry-after", "0")))
        self.retries += 1
        await asyncio.sleep(max(wait, 0.25))

    async def persistent(self, endpoint, method, path, *, ok=(200,), until=None, **kw):
        """Send until an answer in `ok` (or a final refusal); retry what is worth retrying."""
        for attempt in range(60):
            if until is not None and time.monotonic() > until:
                raise Stop(f"{endpoint}: out of time")
            status, response = await self.request(endpoint, method, path, retry=attempt, **kw)
            if status in ok:
                return status, response
            if status in RETRYABLE:
                if status == NEVER_SENT and time.monotonic() < self.offline_until:
                    await asyncio.sleep(max(0.2, self.offline_until - time.monotonic()))
                    continue
                await self.backoff(response, attempt)
                continue
            return status, response
        raise Stop(f"{endpoint}: gave up after 60 tries")

    # -- the candidate's day ----------------------------------------------------------------
    async def sign_in(self):
        status, response = await self.persistent("login form", "GET", "/accounts/login/")
        if status != 200:
            raise Stop(f"login form: HTTP {status}")
        m = CSRF_INPUT.search(response.text)
        token = m.group(1) if m else self.csrf
        form = {"login": self.spec["email"], "password": self.spec["password"], "csrfmiddlewaretoken": token}
        status, response = await self.persistent("login", "POST", "/accounts/login/", form=form, ok=(302,))
        if status != 302 or "sessionid" not in self.cookies:
            raise Stop(f"login: HTTP {status}")

    async def start(self):
        body = {"access_code": self.plan.get("access_code") or None}
        status, response = await self.persistent(
            "start",
            "POST",
            f"/api/v1/sittings/{self.plan['sitting_id']}/attempts",
            json_body=body,
            ok=(200, 201),
        )
        if status not in (200, 201):
            raise Stop(f"start: HTTP {status} {response.text[:200] if response is not None else ''}")
        data = response.json()
        self.attempt = data["id"]
        server_now = datetime.fromisoformat(data["server_now"])
        deadline = datetime.fromisoformat(data["deadline"])
        self.deadline = time.monotonic() + (deadline - server_now).total_seconds()
        self.clock = data.get("clock_url")
        self.heard = time.monotonic()
        self.positions = [q["position"] for q in data["questions"]]
        self.options = {q["position"]: [o["key"] for o in q["options"]] for q in data["questions"]}

    def next_seq(self):
        self.last_seq = max(self.last_seq + 1, int(time.time() * 1000))
        return self.last_seq

    async def flush(self, until=None):
        """Send the queue in order; return when it is empty (or raise Stop). More than one
        waiting go as one batch request, as the page sends them."""
        while self.queue:
            batch = self.queue[: BATCH if self.plan.get("batch", True) else 1]
            one = len(batch) == 1

            def wire(e):
                return {"key": e["key"], "flagged": e["flagged"], "seq": e["seq"]}

            status, response = await self.persistent(
                "save" if one else "save batch",
                "PUT",
                f"/api/v1/attempts/{self.attempt}/answers" + (f"/{batch[0]['position']}" if one else ""),
                json_body=wire(batch[0])
                if one
                else {"answers": [dict(wire(e), position=e["position"]) for e in batch]},
                ok=(200,),
                until=until,
            )
            if status == 409:
                self.closed = True
                raise Stop("attempt closed")
            if status == 200:
                self.heard = time.monotonic()
                data = response.json()
                # What the server says is stored now, per answer sent: what the check compares.
                for entry, out in zip(batch, [data] if one else data["answers"], strict=True):
                    if not out.get("refused"):
                        self.acked[entry["position"]] = [out.get("key"), out.get("seq"), out.get("flagged")]
                        self.ack_count += 1
            del self.queue[: len(batch)]

    def save(self, position, key, flagged):
        """Queue the answer and make sure the queue is being sent (the page's flush())."""
        self.queue.append({"position": position, "key": key, "flagged": flagged, "seq": self.next_seq()})
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush_in_background())

    async def _flush_in_background(self):
        try:
            await self.flush(until=self.deadline + self.plan["grace_s"] - 2)
        except Stop as stop:
            self.stopped = str(stop)

    async def drain(self, until):
        if self.flusher is not None:
            await self.flusher
        if not self.closed:
            await self.flush(until=until)

    async def think(self):
        await asyncio.sleep(
            min(self.rng.expovariate(1 / self.plan["think_mean_s"]), 6 * self.plan["think_mean_s"])
        )

    async def answer_all(self):
        correct = self.spec.get("correct", {})
        skill = self.spec.get("skill", 0.8)
        order = list(self.positions)
        self.rng.shuffle(order)
        answers, flags = {}, {}
        for p in order:
            await self.think()
            if time.monotonic() > self.deadline:
                return  # time is up: the page submits what was saved
            keys = self.options[p]
            right = correct.get(str(p))
            key = right if right and self.rng.random() < skill else self.rng.choice(keys)
            flag = self.rng.random() < self.plan["flag_fraction"]
            answers[p], flags[p] = key, flag
            self.save(p, key, flag)
        # review: change some answers, unflag the flagged ones
        for p in order:
            if self.rng.random() < self.plan["change_fraction"] or flags[p]:
                await self.think()
                if time.monotonic() > self.deadline:
                    return
                keys = self.options[p]
                right = correct.get(str(p))
                key = right if right and self.rng.random() < skill else self.rng.choice(keys)
                self.save(p, key, False)
                flags[p] = False

    async def clock_loop(self):
        """The page's clock poll: every few seconds when no save has answered for a while (not
        while a flush is retrying). Time is not compressed here: the interval is the page's."""
        every = self.plan.get("clock_poll_s", 5)
        if not every or not self.clock:
            return
        await asyncio.sleep(self.rng.uniform(0, 1))
        for _ in range(100_000):
            if self.deadline and time.monotonic() > self.deadline:
                return
            busy = self.flusher is not None and not self.flusher.done()
            if not busy and time.monotonic() - self.heard >= every - 1:
                status, _ = await self.request("clock", "GET", self.clock)
                if status == 200:
                    self.heard = time.monotonic()
            await asyncio.sleep(every - 0.5)

    async def submit(self, *, until):
        status, response = await self.persistent(
            "submit", "POST", f"/api/v1/attempts/{self.attempt}/submit", ok=(200,), until=until
        )
        self.submitted = {"status": status, "state": response.json().get("state") if status == 200 else None}

    async def run(self, t_login, t_start):
        poll = None
        try:
            await asyncio.sleep(max(0.0, t_login - time.monotonic()))
            await self.sign_in()
            await asyncio.sleep(max(0.0, t_start - time.monotonic()))
            await self.start()
            poll = asyncio.create_task(self.clock_loop())
            offline = self.spec.get("offline")
            if offline:
                asyncio.get_running_loop().call_later(offline["after_s"], self._go_offline, offline["for_s"])
            await self.answer_all()
            behaviour = self.spec.get("ending", "deadline")
            if behaviour == "never":
                await self.drain(until=self.deadline + 25)
                return  # the tab is closed: the expiry sweep closes the attempt
            if behaviour == "early":
                await asyncio.sleep(self.rng.uniform(0, 5))
                await self.drain(until=self.deadline + 25)
                await self.submit(until=self.deadline + self.plan["grace_s"] - 1)
                return
            # The page's timer: at the deadline, send what is queued, then submit.
            await asyncio.sleep(max(0.0, self.deadline - time.monotonic()))
            await self.drain(until=self.deadline + 25)
            await self.submit(until=self.deadline + self.plan["grace_s"] - 1)
        except Stop as stop:
            self.stopped = str(stop)
        finally:
            self.unsent_at_end = len(self.queue)
            if poll is not None:
                poll.cancel()

    def _go_offline(self, seconds):
        self.offline_until = time.monotonic() + seconds
        self.rec.add(self.i, "offline", NEVER_SENT, 0.0, f"offline for {seconds} s (simulated)")

    def result(self):
        return {
            "index": self.i,
            "email": self.spec["email"],
            "attempt": self.attempt,
            "acked": self.acked,
            "acks": self.ack_count,
            "submitted": self.submitted,
            "closed": self.closed,
            "unsent": self.unsent_at_end,
            "errors": self.errors_seen,
            "retries": self.retries,
            "stopped": getattr(self, "stopped", None),
            "ending": self.spec.get("ending", "deadline"),
            "nodes": self.nodes,
        }


def _page(plan):
    return http1.Page(plan["base_url"], timeout_s=plan.get("request_timeout_s", 60.0), connect_timeout_s=10.0)


def _mine(index, plan):
    """Whether this process plays candidate `index` (candidates are dealt round the processes)."""
    shard, shards = plan.get("shard", (0, 1))
    return index % shards == shard


async def exam_day(plan, rec, t0):
    """Every process draws the whole day's schedule from the same seed and plays its share."""
    rng = random.Random(plan["seed"])
    people = [
        Candidate(index, spec, plan, None, rec, random.Random(rng.random()))
        for index, spec in enumerate(plan["candidates"])
    ]
    login_window, spike = plan["login_window_s"], plan["start_spike_s"]
    t_start0 = t0 + login_window + plan.get("start_pause_s", 2)
    schedule = [(t0 + rng.uniform(0, login_window), t_start0 + rng.uniform(0, spike)) for _ in people]
    people = [c for c in people if _mine(c.i, plan)]
    for c in people:
        c.client = _page(plan)
    tasks = [asyncio.create_task(c.run(*schedule[c.i]), name=f"candidate-{c.i}") for c in people]
    done, pending = await asyncio.wait(
        tasks, timeout=max(1.0, plan["time_limit_s"] - (time.monotonic() - t0))
    )
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            rec.add(-1, "loadgen", NEVER_SENT, 0.0, f"candidate crashed: {task.exception()!r}")
    await asyncio.gather(*(c.client.aclose() for c in people), return_exceptions=True)
    return {"candidates": [c.result() for c in people], "timed_out": len(pending)}


async def closed_loop(plan, rec, t0, *, floor):
    """C signed-in candidates send back to back for `duration_s` (saves, the trivial view or the
    clock poll)."""
    rng = random.Random(plan["seed"])
    people = [
        Candidate(i, spec, plan, _page(plan), rec, random.Random(rng.random()))
        for i, spec in enumerate(plan["candidates"])
    ]
    await asyncio.gather(*(c.sign_in() for c in people))
    if floor != "floor":
        await asyncio.gather(*(c.start() for c in people))
    t_end = time.monotonic() + plan["duration_s"]
    rec.add(-1, "mark", 0, 0.0, "closed loop begins")
    if plan.get("mark_file"):
        with open(plan["mark_file"], "w") as f:
            f.write("begun\n")

    async def loop(c):
        n = 0
        while time.monotonic() < t_end and n < 100_000:
            n += 1
            if floor == "floor":
                await c.request("floor", "PUT", "/bench/floor/", json_body={"key": "A", "seq": n})
                continue
            if floor == "clock":
                await c.request("clock", "GET", c.clock)
                continue
            p = c.positions[n % len(c.positions)]
            key = c.options[p][n % len(c.options[p])]
            c.queue.append({"position": p, "key": key, "flagged": False, "seq": c.next_seq()})
            try:
                await c.flush(until=t_end + 10)
            except Stop:
                return

    await asyncio.gather(*(loop(c) for c in people))
    await asyncio.gather(*(c.client.aclose() for c in people), return_exceptions=True)
    return {"candidates": [c.result() for c in people], "timed_out": 0}


async def main_async(plan):
    if plan.get("t0_epoch"):  # the moment every process counts from
        await asyncio.sleep(max(0.0, plan["t0_epoch"] - time.time()))
    t0 = time.monotonic()
    epoch0 = time.time()
    rec = Recorder(t0)
    if plan["mode"] == "exam-day":
        outcome = await exam_day(plan, rec, t0)
    else:
        outcome = await asyncio.wait_for(
            closed_loop(plan, rec, t0, floor=plan["mode"] if plan["mode"] in ("floor", "clock") else None),
            plan["time_limit_s"],
        )
    outcome["requests"] = rec.rows
    outcome["epoch0"] = epoch0
    outcome["wall_s"] = round(time.monotonic() - t0, 2)
    outcome["started_at"] = plan.get("started_at")
    return outcome


def run_one(plan, result_path):
    cpu0 = time.process_time()
    outcome = asyncio.run(main_async(plan))
    outcome["loadgen_cpu_s"] = round(time.process_time() - cpu0, 1)
    with open(result_path, "w") as f:
        json.dump(outcome, f)


def run_sharded(plan, plan_path, result_path, shards):
    """The exam day over `shards` processes (one asyncio loop is one core at most, and its own
    lag would be in the figures): each plays every shards-th candidate from a common start,
    and their results are merged into one, as if one process had played them all."""
    import subprocess

    plan = dict(plan, t0_epoch=time.time() + 3.0)
    procs, paths = [], []
    for k in range(shards):
        part_plan = f"{plan_path}.{k}"
        part_result = f"{result_path}.{k}"
        with open(part_plan, "w") as f:
            json.dump(dict(plan, shard=[k, shards]), f)
        procs.append(subprocess.Popen([sys.executable, "-m", "bench.loadgen", part_plan, part_result]))  # noqa: S603
        paths.append(part_result)
    codes = [p.wait() for p in procs]
    if any(codes):
        raise SystemExit(f"a load-generator process failed: exit codes {codes}")
    parts = []
    for path in paths:
        with open(path) as f:
            parts.append(json.load(f))
    merged = {
        "candidates": sorted((c for p in parts for c in p["candidates"]), key=lambda c: c["index"]),
        "timed_out": sum(p["timed_out"] for p in parts),
        "requests": sorted((r for p in parts for r in p["requests"]), key=lambda r: r[0]),
        "epoch0": min(p["epoch0"] for p in parts),
        "wall_s": max(p["wall_s"] for p in parts),
        "started_at": plan.get("started_at"),
        "loadgen_cpu_s": round(sum(p["loadgen_cpu_s"] for p in parts), 1),
        "loadgen_processes": shards,
        "loadgen_cpu_s_per_process": [p["loadgen_cpu_s"] for p in parts],
    }
    with open(result_path, "w") as f:
        json.dump(merged, f)


def main(argv=None):
    argv = argv or sys.argv[1:]
    plan_path, result_path = argv[0], argv[1]
    with open(plan_path) as f:
        plan = json.load(f)
    if not plan["base_url"].startswith("http://127.0.0.1:"):
        raise SystemExit("The load generator only talks to 127.0.0.1.")
    shards = int(plan.get("processes") or 1)
    if plan["mode"] == "exam-day" and shards > 1 and "shard" not in plan:
        run_sharded(plan, plan_path, result_path, shards)
    else:
        run_one(plan, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
