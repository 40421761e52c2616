"""Open Badges 2.0, hosted verification: issuer profile, one BadgeClass per
certification, one Assertion per certificate, a revocation list, and badge
images with the assertion baked in (openbadges-bakery)."""

import hashlib
import io
import json
import re
from email.utils import parseaddr

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from .models import Certificate

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
LEVEL_COLOURS = {"FND": "#0b5cad", "SOC": "#116b2f", "SPD": "#8a3ffc", "EXP": "#a4161a"}


def _url(path):
    return f"{settings.SITE_URL}{path}"


def issuer_id():
    return _url("/ob/v2/issuer")


def issuer_profile():
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": issuer_id(),
        "name": settings.ISSUING_BODY,
        "url": settings.SITE_URL,
        "email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        "revocationList": _url("/ob/v2/revocations"),
    }


def badge_class(certification):
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": _url(f"/ob/v2/badges/{certification.code}"),
        "name": certification.name,
        "description": f"Holder of the {certification.name} certification, awarded by {settings.ISSUING_BODY}.",
        "image": _url(f"/ob/v2/badges/{certification.code}.png"),
        "criteria": {
            "id": _url(f"/ob/v2/badges/{certification.code}#criteria"),
            "narrative": (
                f"Pass the {'closed-book' if certification.closed_book else 'open-book'} {certification.name} exam ({certification.question_count} questions, "
                f"pass mark {certification.pass_mark} %)."
                if certification.is_exam
                else "Hold the certifications " + ", ".join(certification.prerequisite_codes) + "."
            ),
        },
        "issuer": issuer_id(),
    }


def recipient_salt(certificate):
    return certificate.uuid.hex[:16]


def recipient_identity(email, salt):
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def assertion_id(certificate):
    return _url(f"/ob/v2/assertions/{certificate.uuid}")


def assertion(certificate):
    salt = recipient_salt(certificate)
    data = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id(certificate),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": recipient_identity(certificate.user.email, salt),
        },
        "badge": _url(f"/ob/v2/badges/{certificate.certification.code}"),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": _url(f"/verify/{certificate.code}/"),
    }
    if certificate.expires_on:
        data["expires"] = f"{certificate.expires_on.isoformat()}T23:59:59+00:00"
    return data


def revoked_assertion(certificate):
    return {
        "id": assertion_id(certificate),
        "revoked": True,
        "revocationReason": certificate.revocation_reason,
    }


def revocation_list():
    revoked = Certificate.objects.filter(revoked_at__isnull=False).order_by("revoked_at")
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": _url("/ob/v2/revocations"),
        "issuer": issuer_id(),
        "revokedAssertions": [
            {"id": assertion_id(c), "revocationReason": c.revocation_reason} for c in revoked
        ],
    }


def badge_png(certification, size=400):
    """The badge image of a level: a coloured disc with the level code (drawn, no external assets)."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = LEVEL_COLOURS.get(certification.code, "#1b1f24")
    draw.ellipse((8, 8, size - 8, size - 8), fill=colour, outline="#ffffff", width=10)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", size // 5)
        small = ImageFont.truetype("DejaVuSans.ttf", size // 14)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((size / 2, size / 2 - size * 0.05), certification.code, fill="white", font=font, anchor="mm")
    draw.text((size / 2, size * 0.72), "FitSM", fill="white", font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def baked_png(certificate):
    from openbadges_bakery import bake

    source = io.BytesIO(badge_png(certificate.certification))
    out = io.BytesIO()
    bake(source, json.dumps(assertion(certificate)), out)
    return out.getvalue()


def badge_svg(certification, size=400):
    """The badge image of a level as SVG: the same disc and lettering as the PNG."""
    from django.utils.html import escape

    colour = LEVEL_COLOURS.get(certification.code, "#1b1f24")
    half = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{escape(certification.name)} badge">'
        f'<circle cx="{half}" cy="{half}" r="{half - 13}" fill="{colour}" stroke="#ffffff" stroke-width="10"/>'
        f'<text x="{half}" y="{half}" fill="#ffffff" font-family="DejaVu Sans, sans-serif" font-weight="bold" '
        f'font-size="{size // 5}" text-anchor="middle" dominant-baseline="middle">{escape(certification.code)}</text>'
        f'<text x="{half}" y="{size * 0.72}" fill="#ffffff" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{size // 14}" text-anchor="middle" dominant-baseline="middle">FitSM</text>'
        "</svg>"
    )


def baked_svg(certificate):
    """The SVG badge with the assertion baked in, per the Open Badges 2.0 baking specification:
    an `openbadges:assertion` element, first child of the root, with the JSON in CDATA."""
    data = json.dumps(assertion(certificate))
    svg = badge_svg(certificate.certification)
    head, _, tail = svg.partition(">")
    baked = (
        f'<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="{assertion_id(certificate)}">'
        f"<![CDATA[{data.replace(']]>', ']]]]><![CDATA[>')}]]></openbadges:assertion>"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head} xmlns:openbadges="http://openbadges.org">{baked}{tail}'


SVG_ASSERTION = re.compile(
    r"<openbadges:assertion\b(?P<attrs>[^>]*)>(?P<body>.*?)</openbadges:assertion>", re.S
)
SVG_VERIFY = re.compile(r"\bverify\s*=\s*[\"'](?P<url>[^\"']*)[\"']")


def unbake_svg(text):
    """(verify URL or None, assertion JSON text or None) of a baked SVG; (None, None) when unbaked."""
    match = SVG_ASSERTION.search(text)
    if match is None:
        return None, None
    body = match.group("body").strip()
    cdata = re.findall(r"<!\[CDATA\[(.*?)\]\]>", body, re.S)
    body = "".join(cdata) if cdata else body
    verify = SVG_VERIFY.search(match.group("attrs"))
    return (verify.group("url") if verify else None), body or None
