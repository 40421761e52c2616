"""The results: a plain table on stdout and, on request, the same figures as JSON."""

import json
import os
import platform

COLUMNS = [
    ("phase", "phase", 52),
    ("requests", "requests", 8),
    ("ok", "ok", 7),
    ("failed", "failed", 6),
    ("per_second", "per s", 8),
    ("p50_ms", "p50 ms", 8),
    ("p95_ms", "p95 ms", 8),
    ("p99_ms", "p99 ms", 8),
    ("max_ms", "max ms", 8),
]


def machine():
    memory = None
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = [round(x, 1) for x in os.getloadavg()]
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "load_average": load,
    }


def _cell(value, width):
    text = "–" if value is None else str(value)
    return text[:width].rjust(width) if width < 20 else text[:width].ljust(width)


def table(results):
    lines = [" ".join(_cell(title, width) for _, title, width in COLUMNS)]
    lines.append(" ".join("-" * width for _, _, width in COLUMNS))
    for phase in results["phases"]:
        row = {"phase": phase["name"], **phase["summary"]}
        lines.append(" ".join(_cell(row.get(key), width) for key, _, width in COLUMNS))
    for phase in results["phases"]:
        for note in phase.get("notes", []):
            lines.append(f"  {phase['name']}: {note}")
    m = results["machine"]
    lines.append(
        f"machine: {m['cpus']} CPUs, {m['memory']}, Python {m['python']}, load average at start {m['load_average']}; "
        f"gunicorn workers {results['config']['workers']}, client threads {results['config']['threads']}"
    )
    return "\n".join(lines)


def write_json(results, path):
    with open(path, "w") as f:
        json.dump(results, f, indent=2, default=str)
        f.write("\n")
