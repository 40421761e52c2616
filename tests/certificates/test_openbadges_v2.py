"""Our Open Badges 2.0 output, checked against the bundled JSON-LD context and the
required properties of the OB 2.0 specification; the baked image is unbaked."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from openbadges_bakery import unbake

from certificates.models import Certificate
from certificates.services import certificate_revoke

CONTEXT_FILE = Path(__file__).resolve().parents[3] / "shared" / "contexts" / "ob_v2_context.json"
REQUIRED = {
    "Issuer": {"id", "type", "name", "url", "email"},
    "BadgeClass": {"id", "type", "name", "description", "image", "criteria", "issuer"},
    "Assertion": {"id", "type", "recipient", "badge", "verification", "issuedOn"},
    "RevocationList": {"id", "type", "issuer", "revokedAssertions"},
}


@pytest.fixture(scope="module")
def context_terms():
    if not CONTEXT_FILE.exists():
        pytest.skip("the bundled Open Badges context is not beside this checkout")
    return set(json.loads(CONTEXT_FILE.read_text())["@context"])


def check(document, context_terms):
    """Every property is a term of the bundled context; the type's required properties are present."""
    assert document["@context"] == "https://w3id.org/openbadges/v2"
    kind = document["type"]
    assert kind in context_terms
    assert REQUIRED[kind] <= set(document), REQUIRED[kind] - set(document)

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key != "@context":
                    assert key in context_terms, f"{key} is not an Open Badges 2.0 term"
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(document)


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


def _get(client, path):
    response = client.get(path)
    return response, json.loads(response.content) if response["Content-Type"].startswith(
        "application/"
    ) else None


@pytest.mark.django_db
def test_issuer_badge_class_and_assertion_are_valid_ob2(client, certificate, context_terms, settings):
    issuer_response, issuer = _get(client, "/ob/v2/issuer")
    assert issuer_response["Content-Type"] == "application/ld+json"
    check(issuer, context_terms)
    _, badge = _get(client, f"/ob/v2/badges/{certificate.certification.code}")
    check(badge, context_terms)
    assert badge["issuer"] == issuer["id"]
    response, assertion = _get(client, f"/ob/v2/assertions/{certificate.uuid}")
    assert response.status_code == 200
    check(assertion, context_terms)
    assert assertion["badge"] == badge["id"] and assertion["verification"] == {"type": "hosted"}
    assert assertion["evidence"] == f"{settings.SITE_URL}/verify/{certificate.code}/"
    recipient = assertion["recipient"]
    expected = hashlib.sha256((certificate.user.email + recipient["salt"]).encode()).hexdigest()
    assert recipient["hashed"] is True and recipient["identity"] == f"sha256${expected}"
    assert certificate.user.email not in json.dumps(assertion)


@pytest.mark.django_db
def test_baked_png_carries_the_assertion(client, certificate):
    response = client.get(f"/ob/v2/assertions/{certificate.uuid}.png")
    assert response["Content-Type"] == "image/png"
    baked = json.loads(unbake(io.BytesIO(response.content)))
    assert baked["id"].endswith(f"/ob/v2/assertions/{certificate.uuid}")
    assert client.get(f"/ob/v2/badges/{certificate.certification.code}.png")["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_revoked_assertion_is_gone_and_listed(client, certificate, examiner, context_terms):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    response, body = _get(client, f"/ob/v2/assertions/{certificate.uuid}")
    assert response.status_code == 410
    assert body == {"id": body["id"], "revoked": True, "revocationReason": "Exam misconduct"}
    _, revocations = _get(client, "/ob/v2/revocations")
    check(revocations, context_terms)
    assert revocations["revokedAssertions"] == [{"id": body["id"], "revocationReason": "Exam misconduct"}]
    assert client.get(f"/ob/v2/assertions/{certificate.uuid}.png").status_code == 410


@pytest.mark.django_db
def test_unknown_assertions_and_badges_are_404(client, certificate):
    assert client.get("/ob/v2/assertions/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/ob/v2/badges/NOPE").status_code == 404


@pytest.mark.django_db
def test_api_links_the_assertion(client, certificate):
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert body["ob2_assertion_url"].endswith(f"/ob/v2/assertions/{certificate.uuid}")
    assert client.get(f"/ob/v2/assertions/{certificate.uuid}").status_code == 200


@pytest.mark.django_db
def test_baked_svg_carries_the_assertion_per_the_baking_spec(client, certificate):
    import xml.etree.ElementTree as ET

    from certificates.openbadges import unbake_svg

    response = client.get(f"/ob/v2/assertions/{certificate.uuid}.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    text = response.content.decode()
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    baked = root[0]
    assert baked.tag == "{http://openbadges.org}assertion"
    assert baked.get("verify") == json.loads(baked.text)["id"]
    assert "<![CDATA[" in text
    verify_url, body = unbake_svg(text)
    assert verify_url.endswith(f"/ob/v2/assertions/{certificate.uuid}")
    assert json.loads(body) == json.loads(client.get(f"/ob/v2/assertions/{certificate.uuid}").content)


@pytest.mark.django_db
def test_revoked_svg_is_gone(client, certificate, examiner):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    assert client.get(f"/ob/v2/assertions/{certificate.uuid}.svg").status_code == 410
