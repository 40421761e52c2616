"""Server-rendered SVG charts of results (geometry computed here, drawn by a template), in the
house style of trainers/charts.py: each chart has a <title> and a data table beside it."""

LABEL_WIDTH = 70
VALUE_WIDTH = 90
SCALE_TOP = 4


def score_target_chart(rows, *, width=560, bar=12, gap=14):
    """rows: [(label, score or None, target or None)] → two bars per row (score, target) on 0–4."""
    span = width - LABEL_WIDTH - VALUE_WIDTH
    step = 2 * bar + gap
    out = []
    for i, (label, score, target) in enumerate(rows):
        y = i * step
        out.append(
            {
                "label": label,
                "y": y,
                "score_y": y,
                "target_y": y + bar,
                "text_y": y + bar + 4,
                "score_w": round(span * (score or 0) / SCALE_TOP, 1),
                "target_w": round(span * (target or 0) / SCALE_TOP, 1),
                "display": "—" if score is None else f"{score:g}",
                "target": "—" if target is None else f"{target:g}",
                "value_x": LABEL_WIDTH + span + 8,
            }
        )
    ticks = [{"x": LABEL_WIDTH + round(span * t / SCALE_TOP, 1), "label": t} for t in range(SCALE_TOP + 1)]
    height = max(len(rows) * step, step) + 18
    return {
        "bars": out,
        "bar": bar,
        "width": width,
        "height": height,
        "axis_y": height - 4,
        "label_x": LABEL_WIDTH - 6,
        "label_width": LABEL_WIDTH,
        "ticks": ticks,
        "plot_bottom": height - 16,
    }


def trend_chart(series, *, width=560, height=160, pad=30):
    """series: [(label, [value or None per assessment])] → polylines on 0–4 over the assessments."""
    count = max((len(v) for _, v in series), default=0)
    span_x = width - 2 * pad
    span_y = height - 2 * pad

    def x(i):
        return pad + (span_x * i / (count - 1) if count > 1 else span_x / 2)

    def y(v):
        return round(height - pad - span_y * v / SCALE_TOP, 1)

    lines = []
    for label, values in series:
        points = [(round(x(i), 1), y(v)) for i, v in enumerate(values) if v is not None]
        lines.append({"label": label, "points": " ".join(f"{a},{b}" for a, b in points), "dots": points})
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "gridlines": [{"y": y(t), "label": t} for t in range(SCALE_TOP + 1)],
        "pad": pad,
    }
