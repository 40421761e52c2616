"""What each FitSM level attests, in plain words, and its badge artwork (SVG, with a PNG
rendering drawn from the same geometry). Readable at 64 px: a bold level code, a distinct
shape and colour per level (circle, hexagon, shield, star), and the level's name in text on a
ribbon (its short word; the full certification name is the image's title and label)."""

import io
import math

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

LEVELS = {
    "FND": {
        "level": _("Foundation"),
        "title": "Foundation",
        "ribbon": "FOUNDATION",
        "colour": "#0b5cad",
        "accent": "#7fb8f0",
        "shape": "circle",
        "attests": _(
            "The holder knows the FitSM terms, the structure of the standard and the purpose of its "
            "service management processes, and can take part in running an IT service management "
            "system that follows FitSM."
        ),
    },
    "SOC": {
        "level": _("Advanced"),
        "title": "Service Operation and Control",
        "ribbon": "OPERATION",
        "colour": "#116b2f",
        "accent": "#8fd4a4",
        "shape": "hexagon",
        "attests": _(
            "The holder can apply the FitSM processes that keep services running day to day — "
            "incident and service request management, problem management, configuration, change, "
            "release and deployment management — and knows how they work together."
        ),
    },
    "SPD": {
        "level": _("Advanced"),
        "title": "Service Planning and Delivery",
        "ribbon": "PLANNING",
        "colour": "#6929c4",
        "accent": "#c6a6f5",
        "shape": "shield",
        "attests": _(
            "The holder can apply the FitSM processes that plan and agree services — service "
            "portfolio, service level, reporting, availability and continuity, capacity, "
            "information security, customer relationship and supplier management — and knows "
            "how they fit together."
        ),
    },
    "EXP": {
        "level": _("Expert"),
        "title": "Expert",
        "ribbon": "EXPERT",
        "colour": "#a4161a",
        "accent": "#f2b8b5",
        "shape": "star",
        "attests": (
            "The holder passed the FitSM Foundation and both Advanced exams (Service Operation and "
            "Control, Service Planning and Delivery), and so has shown knowledge of every FitSM "
            "process and of how to set up and improve a whole service management system."
        ),
    },
    # Organisational certification (the subject is a service provider): see organisation_badges.
    "ESS": {
        "level": _("Organisational"),
        "title": "Essentials",
        "ribbon": "ESSENTIALS",
        "colour": "#00626b",
        "accent": "#8fd9df",
        "shape": "octagon",
        "attests": "",
    },
    "PLUS": {
        "level": _("Organisational"),
        "title": "Plus",
        "ribbon": "ORGANISATION",
        "colour": "#7a4b00",
        "accent": "#f0c36d",
        "shape": "octagon",
        "attests": "",
    },
}
DEFAULT = {
    "level": "",
    "title": "",
    "ribbon": "",
    "colour": "#1b1f24",
    "accent": "#b0b8c0",
    "shape": "circle",
    "attests": "",
}


def level(code):
    return LEVELS.get(code, DEFAULT)


def attests(certification):
    """What the certificate of this certification attests, in plain words."""
    text = level(certification.code)["attests"]
    if text:
        return str(text)
    return _("The holder passed the %(name)s exam.") % {"name": certification.name}


def level_name(certification):
    """The level of the scheme the certification belongs to (Foundation, Advanced, Expert), or ""
    for a certification the scheme's levels do not name."""
    return level(certification.code)["level"]


def how_earned(certification):
    """How the certification is earned, in words, from its row: by a closed- or open-book exam, or
    by holding the certifications it is derived from."""
    if certification.is_exam:
        if certification.closed_book:
            return _("By passing the closed-book %(name)s exam.") % {"name": certification.name}
        return _("By passing the open-book %(name)s exam.") % {"name": certification.name}
    names = ", ".join(c.name for c in certification.prerequisites.order_by("position", "code"))
    return _("By holding each of these certifications: %(names)s.") % {"names": names}


def _polygon(cx, cy, radius, corners, rotation=-90, inner=None):
    points = []
    steps = corners * (2 if inner else 1)
    for i in range(steps):
        r = inner if inner and i % 2 else radius
        angle = math.radians(rotation + 360 * i / steps)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def _outline(shape, size):
    """The badge outline as a list of points (or None for a circle), on a square of `size`."""
    c = size / 2
    if shape == "hexagon":
        return _polygon(c, c * 0.94, c * 0.9, 6, rotation=-90)
    if shape == "octagon":
        return _polygon(c, c * 0.94, c * 0.9, 8, rotation=-67.5)
    if shape == "star":
        return _polygon(c, c * 0.96, c * 0.95, 12, rotation=-90, inner=c * 0.8)
    if shape == "shield":
        s = size
        return [
            (s * 0.12, s * 0.1),
            (s * 0.88, s * 0.1),
            (s * 0.88, s * 0.5),
            (s * 0.78, s * 0.7),
            (s * 0.5, s * 0.92),
            (s * 0.22, s * 0.7),
            (s * 0.12, s * 0.5),
        ]
    return None


def _ribbon_size(text, size):
    """As large as fits the ribbon: short level words stay legible on a 64 px badge."""
    return size * min(0.1, 1.5 / max(len(text), 1))


def badge_svg(certification, size=400):
    """The level's badge as SVG: the level code large, "FitSM" above, the level name on a ribbon."""
    art = level(certification.code)
    s = size
    c = s / 2
    outline = _outline(art["shape"], s)
    if outline is None:
        body = f'<circle cx="{c}" cy="{c * 0.94}" r="{c * 0.86}" fill="{art["colour"]}" stroke="{art["accent"]}" stroke-width="{s * 0.035}"/>'
    else:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in outline)
        body = f'<polygon points="{points}" fill="{art["colour"]}" stroke="{art["accent"]}" stroke-width="{s * 0.035}" stroke-linejoin="round"/>'
    title = art["ribbon"] or certification.name
    ribbon_font = _ribbon_size(title, s)
    font = "DejaVu Sans, Verdana, Arial, sans-serif"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 {s} {s}" '
        f'role="img" aria-label="{escape(certification.name)} badge">'
        f"<title>{escape(certification.name)}</title>"
        f"{body}"
        f'<text x="{c}" y="{s * 0.3}" fill="#ffffff" font-family="{font}" font-size="{s * 0.085}" '
        f'text-anchor="middle" dominant-baseline="middle" letter-spacing="2">FitSM</text>'
        f'<text x="{c}" y="{s * 0.5}" fill="#ffffff" font-family="{font}" font-weight="bold" '
        f'font-size="{s * 0.2}" text-anchor="middle" dominant-baseline="middle">{escape(certification.code)}</text>'
        f'<rect x="{s * 0.02}" y="{s * 0.66}" width="{s * 0.96}" height="{s * 0.14}" rx="{s * 0.02}" '
        f'fill="#ffffff" stroke="{art["colour"]}" stroke-width="{s * 0.012}"/>'
        f'<text x="{c}" y="{s * 0.73}" fill="{art["colour"]}" font-family="{font}" font-weight="bold" '
        f'font-size="{ribbon_font:.1f}" text-anchor="middle" dominant-baseline="middle">{escape(title)}</text>'
        "</svg>"
    )


def badge_png(certification, size=400):
    """The PNG rendering of badge_svg, drawn from the same geometry (no external assets)."""
    from PIL import Image, ImageDraw, ImageFont

    art = level(certification.code)
    scale = 2  # draw large and downsample: smooth edges
    s = size * scale
    c = s / 2
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width = round(s * 0.035)
    outline = _outline(art["shape"], s)
    if outline is None:
        r = c * 0.86
        draw.ellipse(
            (c - r, c * 0.94 - r, c + r, c * 0.94 + r), fill=art["colour"], outline=art["accent"], width=width
        )
    else:
        draw.polygon(outline, fill=art["colour"], outline=art["accent"], width=width)
    title = art["ribbon"] or certification.name

    def font(bold, px):
        try:
            return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", round(px))
        except OSError:
            return ImageFont.load_default()

    ribbon_px = _ribbon_size(title, s)
    draw.text((c, s * 0.3), "FitSM", fill="white", font=font(False, s * 0.085), anchor="mm")
    draw.text((c, s * 0.5), certification.code, fill="white", font=font(True, s * 0.2), anchor="mm")
    draw.rounded_rectangle(
        (s * 0.02, s * 0.66, s * 0.98, s * 0.80),
        radius=s * 0.02,
        fill="white",
        outline=art["colour"],
        width=round(s * 0.012),
    )
    draw.text((c, s * 0.73), title, fill=art["colour"], font=font(True, ribbon_px), anchor="mm")
    image = image.resize((size, size), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
