"""Console table, JSON and a Markdown report with latency-over-time charts (PNG) for a scenario."""

import json
from pathlib import Path

COLS = [("requests", 8), ("ok", 7), ("errors", 6), ("shed_503", 5), ("per_second", 7)]
COLS += [("p50_ms", 8), ("p95_ms", 8), ("p99_ms", 8), ("max_ms", 9)]


def console_table(title, endpoints):
    head = f"{'endpoint':<28}" + "".join(f"{name.replace('_ms', ''):>{w + 1}}" for name, w in COLS)
    lines = [title, head, "-" * len(head)]
    for ep, s in endpoints.items():
        lines.append(f"{ep:<28}" + "".join(f"{_c(s.get(name)):>{w + 1}}" for name, w in COLS))
    return "\n".join(lines)


def _c(v):
    return "–" if v is None else str(v)


def md_table(endpoints):
    names = [n for n, _ in COLS]
    out = ["| endpoint | " + " | ".join(n.replace("_", " ") for n in names) + " |"]
    out.append("|---|" + "---|" * len(names))
    for ep, s in endpoints.items():
        out.append(f"| {ep} | " + " | ".join(_c(s.get(n)) for n in names) + " |")
    return "\n".join(out)


def chart(path, timeline, samples, title, marks=()):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(11, 9), sharex=True)
    eps = sorted({ep for row in timeline for ep in row if ep != "t"})
    for ep in eps:
        xs = [row["t"] for row in timeline if ep in row and row[ep]["p95"] is not None]
        axes[0].plot(
            xs,
            [row[ep]["p95"] for row in timeline if ep in row and row[ep]["p95"] is not None],
            label=f"{ep} p95",
        )
        axes[0].plot(
            xs,
            [row[ep]["p50"] for row in timeline if ep in row and row[ep]["p95"] is not None],
            linestyle=":",
            label=f"{ep} p50",
        )
        axes[1].plot(
            [row["t"] for row in timeline if ep in row],
            [row[ep]["n"] / 5 for row in timeline if ep in row],
            label=f"{ep} answered/s",
        )
        shed = [(row["t"], row[ep]["shed"] / 5) for row in timeline if ep in row and row[ep]["shed"]]
        if shed:
            axes[1].scatter(*zip(*shed, strict=True), marker="x", label=f"{ep} 503/s")
        err = [(row["t"], row[ep]["err"] / 5) for row in timeline if ep in row and row[ep]["err"]]
        if err:
            axes[1].scatter(*zip(*err, strict=True), marker="o", label=f"{ep} errors/s")
    axes[0].set_yscale("log")
    axes[0].set_ylabel("latency ms (log)")
    axes[0].legend(fontsize=7, ncol=4)
    axes[1].set_ylabel("requests/s")
    axes[1].legend(fontsize=7, ncol=4)
    if samples:
        t = [s["t"] for s in samples]
        axes[2].plot(
            t,
            [max(s["web_rss_mb"]) if s["web_rss_mb"] else 0 for s in samples],
            label="largest web worker RSS MB",
        )
        axes[2].plot(
            t, [sum(s["celery_rss_mb"]) for s in samples], label="Celery worker, all processes, RSS MB"
        )
        ax2 = axes[2].twinx()
        ax2.plot(t, [s["load"] for s in samples], color="grey", linestyle="--", label="load average (1 min)")
        ax2.set_ylabel("load average")
        axes[2].legend(fontsize=7, loc="upper left")
    axes[2].set_xlabel("seconds since the load generator started")
    for x, label in marks:
        for ax in axes:
            ax.axvline(x, color="red", alpha=0.4)
        axes[0].annotate(label, (x, axes[0].get_ylim()[1]), fontsize=7, rotation=90, va="top")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write(results, out_dir, stem):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"{stem}.json"
    json_path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return json_path
