"""Checking a file someone was given: a certificate PDF or a badge image (PNG or SVG).

Works on the bytes in memory and stores nothing. A PDF names its certificate in its
metadata (or its printed verification address) and is genuine when its sha256 is the one
recorded when we rendered it. A baked badge names its certificate by the Open Badges 2.0
assertion it carries, or by an Open Badges 3.0 credential whose signature must verify
against our key ring. Either way the certificate's current status comes from the database."""

import hashlib
import io
import json
import re
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings

from . import openbadges, openbadges_v3, signing_keys
from .models import Certificate
from .png_text import SIGNATURE as PNG_SIGNATURE
from .png_text import NotAPNG, png_text_read
from .selectors import certificate_lookup

MAX_BYTES = 10 * 1024 * 1024
CODE_IN_URL = re.compile(r"/verify/([A-Za-z0-9-]{11,16})/")
UUID_PATTERN = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


@dataclass
class FileCheck:
    kind: str  # "pdf", "ob2-png", "ob3-png", "ob2-svg", or "" when the file is none of those
    certificate: Certificate | None = None
    matches: bool = False  # the file is exactly what we issued for this certificate
    problem: str = ""  # what is wrong with the file, in words for the person who sent it


def _certificate_by_uuid(value):
    try:
        uuid = UUID(str(value))
    except ValueError:
        return None
    return Certificate.objects.select_related("certification", "user").filter(uuid=uuid).first()


def _pdf_code(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    sources = []
    if reader.metadata is not None:
        sources.append(str(reader.metadata.get("/Keywords") or ""))
    if reader.pages:
        sources.append(reader.pages[0].extract_text() or "")
    for text in sources:
        match = CODE_IN_URL.search(text)
        if match:
            return match.group(1)
    return None


def _check_pdf(data):
    try:
        code = _pdf_code(data)
    except Exception:  # pypdf raises many kinds of errors on a broken file; each means "unreadable"
        return FileCheck("pdf", problem="This PDF cannot be read; it may be damaged.")
    if code is None:
        return FileCheck("pdf", problem="This PDF does not name a certificate issued here.")
    certificate, _ = certificate_lookup(code)
    if certificate is None:
        return FileCheck("pdf", problem=f"No certificate with the number {code} was issued here.")
    if certificate.pdf_sha256 and hashlib.sha256(data).hexdigest() == certificate.pdf_sha256:
        return FileCheck("pdf", certificate=certificate, matches=True)
    return FileCheck(
        "pdf",
        certificate=certificate,
        problem="This file does not match the certificate we issued: it has been altered or is not ours.",
    )


def _ob2_assertion_uuid(url):
    match = re.fullmatch(re.escape(settings.SITE_URL) + r"/ob/v2/assertions/" + UUID_PATTERN, url or "")
    return match.group(1) if match else None


def _check_ob2(kind, baked):
    """`baked` is either the assertion URL or the assertion JSON."""
    baked = baked.strip()
    document = None
    if baked.startswith("{"):
        try:
            document = json.loads(baked)
        except ValueError:
            return FileCheck(kind, problem="The badge in this image is damaged.")
        url = document.get("id") if isinstance(document, dict) else None
    else:
        url = baked
    certificate = _certificate_by_uuid(_ob2_assertion_uuid(url))
    if certificate is None:
        return FileCheck(kind, problem="The badge in this image was not issued here.")
    if document is not None:
        ours = openbadges.assertion(certificate)
        if any(document.get(field) != ours.get(field) for field in ("recipient", "badge", "issuedOn")):
            return FileCheck(
                kind,
                certificate=certificate,
                problem="The badge data in this image differs from the badge we issued.",
            )
    return FileCheck(kind, certificate=certificate, matches=True)


def _check_ob3(token):
    try:
        claims = openbadges_v3.credential_jwt_verify(token.strip())
    except openbadges_v3.CredentialInvalid:
        return FileCheck(
            "ob3-png", problem="The credential in this image is not signed by us, or it has been altered."
        )
    except signing_keys.SigningKeyUnavailable:
        return FileCheck(
            "ob3-png", problem="Signed badges cannot be checked at the moment; try the verification page."
        )
    match = re.search(r"/ob/v3/credentials/" + UUID_PATTERN + "$", str(claims.get("jti", "")))
    certificate = _certificate_by_uuid(match.group(1)) if match else None
    if certificate is None:
        return FileCheck("ob3-png", problem="The credential in this image names no certificate issued here.")
    return FileCheck("ob3-png", certificate=certificate, matches=True)


def _check_png(data):
    try:
        token = png_text_read(data, "openbadgecredential")
        baked = None if token else png_text_read(data, "openbadges")
    except NotAPNG:
        return FileCheck("", problem="This file looks like a PNG image but cannot be read.")
    if token:
        return _check_ob3(token)
    if baked:
        return _check_ob2("ob2-png", baked)
    return FileCheck("", problem="This image carries no Open Badge.")


def _check_svg(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileCheck("", problem="This SVG image cannot be read.")
    verify_url, body = openbadges.unbake_svg(text)
    if body is None and verify_url is None:
        return FileCheck("", problem="This image carries no Open Badge.")
    return _check_ob2("ob2-svg", body or verify_url)


def file_check(*, data):
    """What the file says about which of our certificates it is, and whether it is ours unaltered."""
    if len(data) > MAX_BYTES:
        return FileCheck(
            "", problem="This file is larger than 10 MB; certificates and badges are far smaller."
        )
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data)
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:65536].lower():
        return _check_svg(data)
    return FileCheck(
        "", problem="This file is neither a certificate PDF nor a badge image (PNG or SVG) from this site."
    )
