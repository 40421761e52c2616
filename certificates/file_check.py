"""Checking a file someone was given: a certificate PDF or a badge image (PNG or SVG).

Works on the bytes in memory and stores nothing. A file is genuine only when it is what we
issued, unaltered:
- a PDF names its certificate in its metadata (/Keywords, the verification address) and its
  sha256 is the one recorded when we rendered it;
- an Open Badges 2.0 image carries the whole assertion, equal (as canonical JSON) to the
  assertion we serve for that certificate, baked into the badge image we draw for its level;
- an Open Badges 3.0 image (PNG or SVG) carries a credential secured by us, baked into the
  badge image of its level: a VC-JWT whose signature verifies against our key ring, or the
  credential we issue with a Data Integrity proof that verifies.
A file that names one of our certificates without being that file is NOT GENUINE; the
certificate it names is reported beside it, as secondary information. The certificate's
current status always comes from the database.

Every reader is bounded (certificates/upload_limits.py): size caps per type, and structural
caps checked while reading, so no upload can hold a worker."""

import hashlib
import io
import json
import re
import struct
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from . import openbadges, openbadges_v3, signing_keys
from . import organisation_file_check as organisations
from .models import Certificate
from .png_text import SIGNATURE as PNG_SIGNATURE
from .png_text import NotAPNG, chunk_text, png_chunks
from .selectors import certificate_lookup
from .svg_read import SvgRefused, svg_badge_read, svg_picture
from .upload_limits import (
    BADGE_MAX_TEXT,
    MAX_PDF_BYTES,
    MAX_SVG_BYTES,
    MAX_UPLOAD_BYTES,
    PDF_MAX_COLLECTION_ENTRIES,
    PDF_MAX_DECODED_STREAM,
    PDF_MAX_OBJECTS,
    PDF_MAX_PAGE_TREE_ENTRIES,
    size_words,
)

# Bounded quantifiers only, each applied once per search: linear in the text searched.
CODE_IN_URL = re.compile(r"/verify/([A-Za-z0-9-]{11,16})/")
UUID_PATTERN = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = openbadges_v3.PNG_KEYWORD  # "openbadgecredential"
MAX_PROOF_VALUE = 128  # an Ed25519 signature is 88 base58 characters; decoding is quadratic in length

# pypdf's resource limits, tightened for a one-page certificate; jbig2dec is never run.
# Only the cross-reference table, the trailer and the /Info dictionary are read.
PDF_LIMITS = {
    "maximum_declared_stream_length": PDF_MAX_DECODED_STREAM,
    "array_based_stream_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "zlib_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "lzw_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "run_length_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "jbig2_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "brotli_maximum_output_length": PDF_MAX_DECODED_STREAM,
    "image_maximum_buffer_size": PDF_MAX_DECODED_STREAM,
    "stream_decoding_work_maximum_length": 3 * PDF_MAX_DECODED_STREAM,
    "array_maximum_element_count": PDF_MAX_COLLECTION_ENTRIES,
    "dictionary_maximum_element_count": PDF_MAX_COLLECTION_ENTRIES,
    "xmp_maximum_input_length": PDF_MAX_DECODED_STREAM // 10,
    "page_tree_maximum_entries": PDF_MAX_PAGE_TREE_ENTRIES,
    "page_tree_maximum_page_entries": PDF_MAX_PAGE_TREE_ENTRIES,
    "jbig2dec_binary": None,
}

NOT_ISSUED_HERE = gettext_lazy("The badge in this image was not issued here.")
DAMAGED = gettext_lazy("The badge in this image is damaged.")
DIFFERS = gettext_lazy("The badge data in this image differs from the badge we issued.")
URL_ONLY = gettext_lazy(
    "This image carries only the address of a badge, not the badge itself. "
    "The badge images we issue carry the whole badge, so this is not one of them."
)
OTHER_PICTURE = gettext_lazy(
    "The badge data in this image was copied into a picture that is not the badge image we issued."
)


@dataclass
class FileCheck:
    kind: str  # "pdf", "ob2-png", "ob3-png", "ob2-svg", "ob3-svg", or "" when the file is none of those
    certificate: Certificate | None = None  # the certificate the file names (even when not genuine)
    matches: bool = False  # the file is exactly what we issued for this certificate
    problem: str = ""  # what is wrong with the file, in words for the person who sent it
    checkable: bool = True  # False when we cannot check at the moment (no signing key)

    @property
    def verdict(self):
        """The page's answer: genuine, not-genuine, or unchecked (the check itself is unavailable)."""
        if self.matches:
            return "genuine"
        return "not-genuine" if self.checkable else "unchecked"


def _too_large(message, limit):
    """`message` names the kind of file and has a %(size)s placeholder for the limit."""
    return FileCheck("", problem=message % {"size": size_words(limit)})


def _certificate_by_uuid(value):
    try:
        uuid = UUID(str(value))
    except ValueError:
        return None
    return Certificate.objects.select_related("certification", "user").filter(uuid=uuid).first()


# ---------------------------------------------------------------- PDF


def _pdf_code(data):
    """The certificate number in the PDF's metadata (/Keywords holds the verification address
    of every PDF we render). The page text is not read: extracting it runs fonts and content
    streams an attacker controls (a 200 KB file can hold a worker for minutes)."""
    from pypdf import PdfReader, apply_configuration

    with apply_configuration(**PDF_LIMITS):
        reader = PdfReader(
            io.BytesIO(data), root_object_recovery_limit=1_000, xref_stream_maximum_entries=PDF_MAX_OBJECTS
        )
        metadata = reader.metadata
        keywords = metadata.keywords if metadata is not None else None
    match = CODE_IN_URL.search(str(keywords)) if keywords is not None else None
    return match.group(1) if match else None


def _check_pdf(data):
    if len(data) > MAX_PDF_BYTES:
        return _too_large(
            gettext("This PDF is larger than %(size)s; certificates and badges are far smaller."),
            MAX_PDF_BYTES,
        )
    try:
        code = _pdf_code(data)
    except Exception:  # pypdf raises many kinds of errors on a broken file, or one beyond its limits
        return FileCheck("pdf", problem=gettext("This PDF cannot be read; it may be damaged."))
    if code is None:
        return FileCheck(
            "pdf",
            problem=gettext(
                "This PDF does not carry a certificate number in its metadata, "
                "as every certificate PDF we issue does."
            ),
        )
    certificate, _ = certificate_lookup(code)
    if certificate is None:
        certificate = organisations.by_code(code)  # an organisation's certificate
    if certificate is None:
        return FileCheck(
            "pdf",
            problem=gettext("No certificate with the number %(code)s was issued here.") % {"code": code},
        )
    if certificate.pdf_sha256 and hashlib.sha256(data).hexdigest() == certificate.pdf_sha256:
        return FileCheck("pdf", certificate=certificate, matches=True)
    return FileCheck(
        "pdf",
        certificate=certificate,
        problem=gettext(
            "This file does not match the certificate we issued: it has been altered or is not ours."
        ),
    )


# ---------------------------------------------------------------- Open Badges 2.0 and 3.0


def _ob2_assertion_uuid(url):
    if not isinstance(url, str):
        return None
    match = re.fullmatch(re.escape(settings.SITE_URL) + r"/ob/v2/assertions/" + UUID_PATTERN, url)
    return match.group(1) if match else None


def _pairs_unique(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):  # readers disagree on which of two values counts
        raise ValueError("a key appears twice")
    return dict(pairs)


def _canonical(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _same_json(document, ours):
    try:
        return _canonical(document) == _canonical(ours)
    except (ValueError, RecursionError):
        return False


def _ob2_certificate(url):
    """The certificate (a person's or an organisation's) an Open Badges 2.0 assertion URL names."""
    return _certificate_by_uuid(_ob2_assertion_uuid(url)) or organisations.by_ob2_assertion_url(url)


def _ob3_certificate(document_or_claims):
    """The certificate (a person's or an organisation's) a verified credential names, or None."""
    return openbadges_v3.certificate_of_credential(document_or_claims) or organisations.by_ob3_credential(
        document_or_claims
    )


def _ob3_ours(certificate):
    if organisations.is_organisation(certificate):
        return organisations.ob3_credential(certificate)
    return openbadges_v3.credential(certificate)


def _badge_art(certificate):
    """What the level's badge picture is drawn from: the certification, or an organisation's level."""
    if organisations.is_organisation(certificate):
        return organisations.badge(certificate)
    return certificate.certification


def _check_ob2(kind, baked, *, verify=None, svg=False):
    """`baked` is the assertion JSON, or only the assertion URL; `verify` is the URL an SVG
    bake names beside the JSON. Only the whole assertion, as we serve it, is genuine."""
    baked = baked.strip()
    if len(baked) > BADGE_MAX_TEXT:
        return FileCheck(kind, problem=NOT_ISSUED_HERE)
    if not baked.startswith("{"):
        certificate = _ob2_certificate(baked)
        if certificate is None:
            return FileCheck(kind, problem=NOT_ISSUED_HERE)
        return FileCheck(kind, certificate=certificate, problem=URL_ONLY)
    try:
        document = json.loads(baked, object_pairs_hook=_pairs_unique)
    except (ValueError, RecursionError):
        return FileCheck(kind, problem=DAMAGED)
    url = document.get("id") if isinstance(document, dict) else None
    certificate = _ob2_certificate(url)
    if certificate is None:
        return FileCheck(kind, problem=NOT_ISSUED_HERE)
    if organisations.is_organisation(certificate):
        ours, ours_id = organisations.ob2_assertion(certificate), organisations.ob2_assertion_id(certificate)
    else:
        ours, ours_id = openbadges.assertion(certificate), openbadges.assertion_id(certificate)
    if not _same_json(document, ours) or (svg and verify != ours_id):
        return FileCheck(kind, certificate=certificate, problem=DIFFERS)
    return FileCheck(kind, certificate=certificate, matches=True)


def _ob3_invalid(kind, certificate=None):
    return FileCheck(
        kind,
        certificate=certificate,
        problem=gettext("The credential in this image is not signed by us, or it has been altered."),
    )


def _ob3_unchecked(kind):
    return FileCheck(
        kind,
        problem=gettext("Signed badges cannot be checked at the moment; try the verification page."),
        checkable=False,
    )


def _check_ob3_jwt(kind, token):
    """A VC-JWT: its signature against our key ring is what makes it ours."""
    try:
        claims = openbadges_v3.credential_jwt_verify(token)
    except (openbadges_v3.CredentialInvalid, RecursionError):  # RecursionError: absurdly nested JSON
        return _ob3_invalid(kind)
    except signing_keys.SigningKeyUnavailable:
        return _ob3_unchecked(kind)
    certificate = _ob3_certificate(claims)
    if certificate is None:
        return FileCheck(
            kind, problem=gettext("The credential in this image names no certificate issued here.")
        )
    return FileCheck(kind, certificate=certificate, matches=True)


def _check_ob3_document(kind, text):
    """A credential with a Data Integrity proof. It must be, apart from its proof, the credential
    we issue for the certificate it names; only then is its proof checked, so the costly JSON-LD
    canonicalisation only ever runs on our own document, never on one an uploader shaped."""
    try:
        document = json.loads(text, object_pairs_hook=_pairs_unique)
    except (ValueError, RecursionError):
        return FileCheck(kind, problem=gettext("The credential in this image is damaged."))
    if not isinstance(document, dict):
        return FileCheck(kind, problem=gettext("The credential in this image is damaged."))
    certificate = _ob3_certificate(document)
    if certificate is None:
        return FileCheck(
            kind, problem=gettext("The credential in this image names no certificate issued here.")
        )
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof = document.get("proof")
    value = proof.get("proofValue") if isinstance(proof, dict) else None
    if not _same_json(unsecured, _ob3_ours(certificate)):
        return FileCheck(
            kind,
            certificate=certificate,
            problem=gettext("The credential in this image differs from the credential we issued."),
        )
    if not isinstance(value, str) or len(value) > MAX_PROOF_VALUE:
        return _ob3_invalid(kind, certificate)
    try:
        openbadges_v3.credential_document_verify(document)
    except openbadges_v3.CredentialInvalid:
        return _ob3_invalid(kind, certificate)
    except signing_keys.SigningKeyUnavailable:
        return _ob3_unchecked(kind)
    return FileCheck(kind, certificate=certificate, matches=True)


def _check_ob3(kind, secured):
    """`secured` is the compact JWS of a VC-JWT, or the JSON of a credential with its proof."""
    secured = secured.strip()
    if len(secured) > BADGE_MAX_TEXT:
        return _ob3_invalid(kind)
    try:
        ring = signing_keys.key_ring()
    except signing_keys.SigningKeyUnavailable:
        ring = []
    if not ring:  # without our keys nothing can be told apart: say so rather than "forged"
        return _ob3_unchecked(kind)
    if secured.startswith("{"):
        return _check_ob3_document(kind, secured)
    return _check_ob3_jwt(kind, secured)


# ---------------------------------------------------------------- PNG


def _png_size(chunks):
    header = chunks[0][1]
    return struct.unpack(">II", header[:8]) if len(header) == 13 else None


def _png_pixels(data):
    from PIL import Image

    with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
        return image.size, image.convert("RGBA").tobytes()


def _png_picture_is_ours(data, chunks, certification):
    """The picture of the upload is the badge image we draw for the level, pixel for pixel.
    Decoding is bounded: it only happens when the header declares our image's size."""
    ours = openbadges.badge_png(certification)
    if _png_size(chunks) != _png_size(png_chunks(ours)):
        return False
    try:
        return _png_pixels(data) == _png_pixels(ours)
    except Exception:  # Pillow raises many kinds of errors on damaged image data; each means "not ours"
        return False


def _check_png(data):
    try:  # png_chunks refuses more than MAX_PNG_BYTES, too many chunks, oversized text chunks
        chunks = png_chunks(data)
    except NotAPNG as exc:
        return FileCheck(
            "",
            problem=gettext("This file looks like a PNG image but cannot be read: %(error)s.")
            % {"error": exc},
        )
    texts = [chunk_text(kind, payload) for kind, payload in chunks]
    badges = [(name, text) for name, text in texts if name in (OB2_KEYWORD, OB3_KEYWORD)]
    if not badges:
        return FileCheck("", problem=gettext("This image carries no Open Badge."))
    if len(badges) > 1:
        return FileCheck(
            "", problem=gettext("This image carries more than one badge; the images we issue carry one.")
        )
    [(name, text)] = badges
    if text is None:
        return FileCheck("ob3-png" if name == OB3_KEYWORD else "ob2-png", problem=DAMAGED)
    result = _check_ob3("ob3-png", text) if name == OB3_KEYWORD else _check_ob2("ob2-png", text)
    if result.matches and not _png_picture_is_ours(data, chunks, _badge_art(result.certificate)):
        return FileCheck(result.kind, certificate=result.certificate, problem=OTHER_PICTURE)
    return result


# ---------------------------------------------------------------- SVG


def _check_svg(data):
    if len(data) > MAX_SVG_BYTES:
        return _too_large(
            gettext("This SVG image is larger than %(size)s; certificates and badges are far smaller."),
            MAX_SVG_BYTES,
        )
    try:
        badge = svg_badge_read(data)
    except SvgRefused as exc:
        return FileCheck("", problem=gettext("This SVG image cannot be read: %(error)s.") % {"error": exc})
    if badge.version is None:
        return FileCheck("", problem=gettext("This image carries no Open Badge."))
    if badge.version == 3 and badge.text and badge.verify:  # ours carry one or the other
        return FileCheck(
            "ob3-svg", problem=gettext("This image carries two credentials; the images we issue carry one.")
        )
    if badge.version == 3:
        result = _check_ob3("ob3-svg", badge.text or badge.verify or "")
    else:
        result = _check_ob2("ob2-svg", badge.text or badge.verify or "", verify=badge.verify, svg=True)
    if result.matches and badge.picture != svg_picture(openbadges.badge_svg(_badge_art(result.certificate))):
        return FileCheck(result.kind, certificate=result.certificate, problem=OTHER_PICTURE)
    return result


def _looks_like_svg(data):
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:65536].lower()


def file_check(*, data):
    """What the file says about which of our certificates it is, and whether it is ours unaltered."""
    if len(data) > MAX_UPLOAD_BYTES:
        return _too_large(
            gettext("This file is larger than %(size)s; certificates and badges are far smaller."),
            MAX_UPLOAD_BYTES,
        )
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data)
    if _looks_like_svg(data):
        return _check_svg(data)
    return FileCheck(
        "",
        problem=gettext(
            "This file is neither a certificate PDF nor a badge image (PNG or SVG) from this site."
        ),
    )
