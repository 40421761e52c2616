"""Figures from the load generator's request log: per endpoint, per time bucket, per fault."""

from .load import percentile

SERVER_ERROR = 500


def _ok(row):
    return 0 < row[2] < 400


def _err(row):
    return row[2] == 0 or row[2] >= 400


def endpoint_table(rows, *, skip=("offline", "mark", "loadgen")):
    """{endpoint: requests, ok, errors by kind, throughput over its active span, latency of the
    answered requests (p50/p95/p99/max, ms)}."""
    out = {}
    by = {}
    for r in rows:
        if r[1] in skip:
            continue
        by.setdefault(r[1], []).append(r)
    for ep, rs in by.items():
        ok = sorted(r[3] for r in rs if _ok(r))
        first = min(r[0] for r in rs)
        last = max(r[0] + r[3] / 1000 for r in rs)
        span = max(last - first, 0.001)
        kinds = {}
        for r in rs:
            if _err(r):
                status = r[2]
                label = (
                    "simulated offline"
                    if status == 0 and len(r) > 5 and r[5] and "simulated" in r[5]
                    else "no answer"
                    if status == 0
                    else str(status)
                )
                kinds[label] = kinds.get(label, 0) + 1
        shed = sorted(r[3] for r in rs if r[2] == 503)
        out[ep] = {
            "requests": len(rs),
            "ok": len(ok),
            "errors": sum(kinds.values()) - kinds.get("simulated offline", 0),
            "errors_by_kind": kinds,
            "per_second": round(len(ok) / span, 1),
            "span_s": round(span, 1),
            "p50_ms": _r(percentile(ok, 50)),
            "p95_ms": _r(percentile(ok, 95)),
            "p99_ms": _r(percentile(ok, 99)),
            "max_ms": _r(ok[-1] if ok else None),
            "shed_503": len(shed),
            "shed_p95_ms": _r(percentile(shed, 95)),
        }
    return out


def _r(x):
    return None if x is None else round(x, 1)


def window(rows, endpoint, start, end):
    """The endpoint's answered requests that began in [start, end)."""
    return sorted(r[3] for r in rows if r[1] == endpoint and start <= r[0] < end and _ok(r))


def timeline(rows, bucket=5.0, endpoints=("login", "start", "save", "clock", "submit", "floor")):
    """Per bucket and endpoint: answered count, p50, p95, and 503/other errors."""
    buckets = {}
    for r in rows:
        if r[1] not in endpoints:
            continue
        b = int(r[0] // bucket)
        d = buckets.setdefault(b, {}).setdefault(r[1], {"lat": [], "shed": 0, "err": 0})
        if _ok(r):
            d["lat"].append(r[3])
        elif r[2] == 503:
            d["shed"] += 1
        elif not (r[2] == 0 and len(r) > 5 and r[5] and "simulated" in r[5]):
            d["err"] += 1
    out = []
    for b in sorted(buckets):
        row = {"t": b * bucket}
        for ep, d in buckets[b].items():
            lat = sorted(d["lat"])
            row[ep] = {
                "n": len(lat),
                "p50": _r(percentile(lat, 50)),
                "p95": _r(percentile(lat, 95)),
                "shed": d["shed"],
                "err": d["err"],
            }
        out.append(row)
    return out


def server_errors(rows):
    """Answers with a server error: any 5xx except 503, which the site gives on purpose (shedding
    load, a database away) with Retry-After. A fault drill must produce none: a 500 is a request
    the server failed, whatever the client does next."""
    bad = [r for r in rows if r[1] not in ("offline", "mark", "loadgen") and r[2] >= 500 and r[2] != 503]
    kinds = {}
    for r in bad:
        key = f"{r[1]} {r[2]}"
        kinds[key] = kinds.get(key, 0) + 1
    return {"count": len(bad), "by_kind": kinds}


def fault_window(rows, fault_t, *, horizon=180.0):
    """What the clients saw after a fault at `fault_t`: errors (server errors, broken
    connections, 503s) and the time until the last of them."""
    after = [r for r in rows if fault_t - 1 <= r[0] <= fault_t + horizon and r[1] not in ("offline", "mark")]
    bad = [r for r in after if _err(r) and not (r[2] == 0 and len(r) > 5 and r[5] and "simulated" in r[5])]
    kinds = {}
    for r in bad:
        key = f"{r[1]} {'no answer' if r[2] == 0 else r[2]}"
        kinds[key] = kinds.get(key, 0) + 1
    last_bad = max((r[0] + r[3] / 1000 for r in bad), default=None)
    return {
        "client_errors": len(bad),
        "by_kind": kinds,
        "recovered_after_s": None if last_bad is None else round(max(0.0, last_bad - fault_t), 1),
        "examples": sorted({(r[5] or "")[:90] for r in bad if len(r) > 5})[:5],
    }


def memory_peaks(samples):
    web = [max(s["web_rss_mb"]) for s in samples if s["web_rss_mb"]]
    celery_each = [max(s["celery_rss_mb"]) for s in samples if s["celery_rss_mb"]]
    celery_total = [sum(s["celery_rss_mb"]) for s in samples if s["celery_rss_mb"]]
    celery_pss = [s.get("celery_pss_mb") or 0 for s in samples if s["celery_rss_mb"]]
    load = [s["load"] for s in samples]
    return {
        "web_worker_rss_max_mb": round(max(web), 1) if web else None,
        "celery_process_rss_max_mb": round(max(celery_each), 1) if celery_each else None,
        "celery_total_rss_max_mb": round(max(celery_total), 1) if celery_total else None,
        "celery_total_pss_max_mb": round(max(celery_pss), 1) if celery_pss else None,
        "load_average_max": max(load) if load else None,
        "load_average_mean": round(sum(load) / len(load), 2) if load else None,
    }


def cpu_use(samples):
    """Where the CPU went during a round: mean cores used by each part of the system, and the
    share of the machine's CPU time that was idle, and stolen by the hypervisor."""
    with_cpu = [s for s in samples if s.get("cpu_s")]
    if len(with_cpu) < 2:
        return None
    span = with_cpu[-1]["t"] - with_cpu[0]["t"]
    if span <= 0:
        return None
    groups = {}
    for s in with_cpu[1:]:
        for group, seconds in s["cpu_s"].items():
            groups[group] = groups.get(group, 0.0) + seconds
    first, last = with_cpu[0].get("machine_jiffies"), with_cpu[-1].get("machine_jiffies")
    machine = {}
    if first and last:
        delta = {k: last[k] - first.get(k, 0) for k in last}
        total = sum(delta.values()) or 1
        machine = {
            "idle_percent": round(100 * (delta.get("idle", 0) + delta.get("iowait", 0)) / total, 1),
            "steal_percent": round(100 * delta.get("steal", 0) / total, 1),
        }
    return {
        "cores_used_mean": {g: round(v / span, 2) for g, v in sorted(groups.items(), key=lambda kv: -kv[1])},
        **machine,
    }
