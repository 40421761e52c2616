"""Open Badges 3.0 endpoints (public): signed credentials, the revocation status list,
the issuer profile, achievements, and the public keys that verify them."""

import json
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from exams.models import Certification

from . import openbadges_v3, signing_keys
from .models import Certificate

LD_JSON = "application/ld+json"
VC_JWT = "application/vc+jwt"


def _signed(view):
    """Answer 503 with a clear message while no signing key is configured."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except signing_keys.SigningKeyUnavailable as exc:
            return JsonResponse({"error": "signing_unavailable", "detail": str(exc)}, status=503)

    return require_GET(wrapper)


def _fresh(response):
    response["Cache-Control"] = "no-cache"
    return response


def _ld(data):
    return HttpResponse(json.dumps(data), content_type=LD_JSON)


def _certificate(uuid):
    certificate = Certificate.objects.select_related("certification", "user").filter(uuid=uuid).first()
    if certificate is None:
        raise Http404
    return certificate


@_signed
def credential_jwt(request, uuid):
    return HttpResponse(openbadges_v3.credential_jwt(_certificate(uuid)), content_type=VC_JWT)


@_signed
def credential_json(request, uuid):
    certificate = _certificate(uuid)
    signing_keys.key_current()  # the decoded view is offered only where the signed one is
    return _ld(openbadges_v3.credential(certificate))


@_signed
def credential_png(request, uuid):
    return HttpResponse(openbadges_v3.baked_png(_certificate(uuid)), content_type="image/png")


@_signed
def status_list_jwt(request):
    return _fresh(HttpResponse(openbadges_v3.status_list_jwt(), content_type=VC_JWT))


@_signed
def status_list_json(request):
    signing_keys.key_current()
    return _fresh(_ld(openbadges_v3.status_list_credential()))


@require_GET
def issuer(request):
    return _ld(openbadges_v3.issuer_profile())


@require_GET
def achievement(request, code):
    return _ld(openbadges_v3.achievement_document(get_object_or_404(Certification, code=code)))


@_signed
def jwks(request):
    response = JsonResponse(signing_keys.jwks())
    response["Cache-Control"] = "max-age=300"
    return response
