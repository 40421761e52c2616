"""Open Badges 2.0 hosted endpoints (public, JSON-LD)."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from exams.models import Certification

from . import openbadges
from .models import Certificate

LD_JSON = "application/ld+json"


def _ld(data, status=200):
    return HttpResponse(json.dumps(data), content_type=LD_JSON, status=status)


@require_GET
def issuer(request):
    return _ld(openbadges.issuer_profile())


@require_GET
def badge_class(request, code):
    return _ld(openbadges.badge_class(get_object_or_404(Certification, code=code)))


@require_GET
def badge_image(request, code):
    certification = get_object_or_404(Certification, code=code)
    return HttpResponse(openbadges.badge_png(certification), content_type="image/png")


def _certificate(uuid):
    certificate = Certificate.objects.select_related("certification", "user").filter(uuid=uuid).first()
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def assertion(request, uuid):
    certificate = _certificate(uuid)
    if openbadges.is_revoked(certificate):
        return _ld(openbadges.revoked_assertion(certificate), status=410)
    return _ld(openbadges.assertion(certificate))


@require_GET
def assertion_png(request, uuid):
    certificate = _certificate(uuid)
    if openbadges.is_revoked(certificate):
        return JsonResponse(openbadges.revoked_assertion(certificate), status=410)
    return HttpResponse(openbadges.baked_png(certificate), content_type="image/png")


@require_GET
def revocations(request):
    return _ld(openbadges.revocation_list())


@require_GET
def assertion_svg(request, uuid):
    certificate = _certificate(uuid)
    if openbadges.is_revoked(certificate):
        return JsonResponse(openbadges.revoked_assertion(certificate), status=410)
    return HttpResponse(openbadges.baked_svg(certificate), content_type="image/svg+xml")
