"""Server-rendered horizontal bar charts (SVG geometry computed here, drawn by a template)."""

LABEL_WIDTH = 170
VALUE_WIDTH = 60


def bar_chart(rows, *, width=640, bar=18, gap=8, maximum=None, unit=""):
    """rows: [(label, value)] → the geometry the chart template draws. Values are numbers or None."""
    values = [v for _label, v in rows if v is not None]
    top = maximum if maximum is not None else (max(values) if values else 0)
    span = width - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (label, value) in enumerate(rows):
        w = round(span * value / top, 1) if value and top else 0
        bars.append(
            {
                "label": label,
                "value": value,
                "display": "—" if value is None else f"{value:g}{unit}",
                "y": i * (bar + gap),
                "text_y": i * (bar + gap) + bar - 4,
                "w": w,
                "value_x": LABEL_WIDTH + w + 6,
            }
        )
    return {
        "bars": bars,
        "bar": bar,
        "width": width,
        "height": max(len(rows) * (bar + gap), bar),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }
