"""Open Badges 3.0 endpoints (public): the credentials in both secured forms (VC-JWT and Data
Integrity) and baked into PNG and SVG images, the status lists, the issuer profile and DID
document, achievements, and the public keys that verify them. Thin: the documents are built
in certificates.openbadges_v3."""

import json
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.languages import language_valid
from exams.models import Certification

from . import openbadges_v3, signing_keys
from .models import Certificate

LD_JSON = "application/ld+json"
VC_JWT = "application/vc+jwt"
DID_JSON = "application/did+json"
JWT_TYPES = (VC_JWT, "application/jwt")
PROOFS = {"jwt": "jwt", "di": "di", "json": "di"}


def _signed(view):
    """Answer 503 with a clear message while no signing key (of the kind needed) is configured."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except signing_keys.SigningKeyUnavailable as exc:
            return JsonResponse({"error": "signing_unavailable", "detail": str(exc)}, status=503)

    return require_GET(wrapper)


def _fresh(response):
    """Status lists change with each decision: never cached anywhere."""
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def _json(data, content_type=LD_JSON):
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _certificate(uuid):
    certificate = Certificate.objects.select_related("certification", "user").filter(uuid=uuid).first()
    if certificate is None:
        raise Http404
    return certificate


def _proof(request):
    proof = PROOFS.get(request.GET.get("proof", "jwt"))
    if proof is None:
        raise Http404
    return proof


@_signed
def credential_jwt(request, uuid):
    response = HttpResponse(openbadges_v3.credential_jwt(_certificate(uuid)), content_type=VC_JWT)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_signed
def credential_json(request, uuid):
    """The same credential secured by an embedded Data Integrity proof."""
    return _json(openbadges_v3.credential_with_proof(_certificate(uuid)))


@_signed
def credential_png(request, uuid):
    return HttpResponse(
        openbadges_v3.baked_png(_certificate(uuid), _proof(request)), content_type="image/png"
    )


@_signed
def credential_svg(request, uuid):
    return HttpResponse(
        openbadges_v3.baked_svg(_certificate(uuid), _proof(request)), content_type="image/svg+xml"
    )


def _purpose(purpose):
    if purpose not in openbadges_v3.STATUS_PURPOSES:
        raise Http404
    return purpose


def _wants_jwt(request):
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in JWT_TYPES)


@_signed
def status_list(request, purpose):
    """The status list at the URL credentials name: Data Integrity JSON-LD, or the VC-JWT for a
    client that asks for application/vc+jwt."""
    purpose = _purpose(purpose)
    if _wants_jwt(request):
        response = HttpResponse(openbadges_v3.status_list_jwt(purpose), content_type=VC_JWT)
    else:
        response = _json(openbadges_v3.status_list_with_proof(purpose))
    response["Vary"] = "Accept"
    return _fresh(response)


@_signed
def status_list_jwt(request, purpose="revocation"):
    return _fresh(HttpResponse(openbadges_v3.status_list_jwt(_purpose(purpose)), content_type=VC_JWT))


@_signed
def status_list_json(request, purpose="revocation"):
    return _fresh(_json(openbadges_v3.status_list_with_proof(_purpose(purpose))))


@require_GET
def issuer(request):
    return _json(openbadges_v3.issuer_profile())


@require_GET
def issuer_logo(request):
    """The issuer's image in its profile: the mark the certificates and the verification page show."""
    from .mark import mark_svg

    response = HttpResponse(mark_svg(), content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=86400"
    return response


@require_GET
def achievement(request, code, language=openbadges_v3.LANGUAGE):
    """The achievement of a certification, in English or (/ob/v3/achievements/FND/de) a language
    the site offers."""
    if not language_valid(language):
        raise Http404
    return _json(openbadges_v3.achievement_document(get_object_or_404(Certification, code=code), language))


@_signed
def jwks(request):
    response = JsonResponse(signing_keys.jwks())
    response["Cache-Control"] = "max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_signed
def key(request, kid):
    """The one public key a VC-JWT's `kid` names, as a bare JWK."""
    found = signing_keys.key_find(kid)
    if found is None:
        raise Http404
    response = JsonResponse(found.public_jwk, content_type="application/jwk+json")
    response["Cache-Control"] = "max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_signed
def did_document(request):
    response = _json(openbadges_v3.did_document(), content_type=DID_JSON)
    response["Cache-Control"] = "max-age=300"
    return response
