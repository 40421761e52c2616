"""Public pages of organisations' certificates (no account): the verification page (reached
through /verify/{code}/, which resolves both kinds of certificate), the PDF, the providers
register, and the Open Badges 2.0 and 3.0 endpoints. Thin: documents are built in
certificates.organisation_badges, reads are in certificates.organisation_selectors."""

import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import openbadges_v3
from . import organisation_badges as badges
from .models import Certificate, OrganisationCertificate
from .ob3_views import LD_JSON, VC_JWT, _fresh, _json, _signed, _wants_jwt
from .organisation_selectors import organisation_certificate_lookup, provider_certificates, providers_register

QUERY_MAX = 100


def verify_page(request, certificate):
    """The verification page of an organisation's certificate (called by views.verify)."""
    status = certificate.status_on(timezone.localdate())
    response = render(
        request,
        "certificates/organisation/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "verify_url": badges.verify_url(certificate),
            "issuing_body": settings.ISSUING_BODY,
            "badge_image_url": badges.level_image_url(certificate.level_code),
            "attests": badges.attests(certificate),
            "criteria": badges.criteria_narrative(certificate.level_name),
            "issuer_did": openbadges_v3.issuer_did(),
            "pdf_available": status in (Certificate.Status.VALID, Certificate.Status.EXPIRED),
        },
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def certificate_pdf(request, code):
    """The PDF of an organisation's certificate, for anyone while it is valid or expired; a revoked
    or suspended certificate's PDF is not handed out (410, the page says why). Personal
    certificates' PDFs are private to their holder: this address does not serve them (404)."""
    from .organisation_pdf import organisation_certificate_pdf_ensure
    from .storage import private_storage

    certificate, _ = organisation_certificate_lookup(code)
    if certificate is None or certificate.code != code:
        raise Http404
    status = certificate.status_on(timezone.localdate())
    if status not in (Certificate.Status.VALID, Certificate.Status.EXPIRED):
        return render(
            request,
            "certificates/organisation/pdf_withheld.html",
            {"certificate": certificate, "status": status, "issuing_body": settings.ISSUING_BODY},
            status=410,
        )
    name = organisation_certificate_pdf_ensure(certificate)
    response = FileResponse(private_storage.open(name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="FitSM-{certificate.level_code}-{certificate.code}.pdf"'
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def providers_list(request):
    query = (request.GET.get("q") or "").strip()[:QUERY_MAX]
    return render(
        request,
        "certificates/providers/list.html",
        {"providers": providers_register(query=query), "query": query},
    )


@require_GET
def provider_detail(request, slug):
    certificates = provider_certificates(slug)
    if not certificates:
        raise Http404
    in_force = [c for c in certificates if c.current_status == Certificate.Status.VALID]
    return render(
        request,
        "certificates/providers/detail.html",
        {
            "name": certificates[0].organisation_name,
            "slug": slug,
            "country": certificates[0].organisation_country,
            "website": certificates[0].organisation_website,
            "current": in_force,
            "past": [c for c in certificates if c not in in_force],
        },
    )


# --- Open Badges 2.0 ----------------------------------------------------------------------------


def _ld(data, status=200):
    return HttpResponse(json.dumps(data), content_type=LD_JSON, status=status)


def _level(level_code):
    level = badges.level_of(level_code)
    if level is None:
        raise Http404
    return level


def _certificate(uuid):
    certificate = OrganisationCertificate.objects.filter(uuid=uuid).first()
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def ob2_badge_class(request, level_code):
    return _ld(badges.ob2_badge_class(_level(level_code)))


@require_GET
def ob2_badge_image(request, level_code):
    level = _level(level_code)
    return HttpResponse(badges.level_png(level.level_code, level.level_name), content_type="image/png")


@require_GET
def ob2_assertion(request, uuid):
    certificate = _certificate(uuid)
    if badges.ob2_is_revoked(certificate):
        return _ld(badges.ob2_revoked_assertion(certificate), status=410)
    return _ld(badges.ob2_assertion(certificate))


@require_GET
def ob2_assertion_png(request, uuid):
    certificate = _certificate(uuid)
    if badges.ob2_is_revoked(certificate):
        return JsonResponse(badges.ob2_revoked_assertion(certificate), status=410)
    return HttpResponse(badges.ob2_baked_png(certificate), content_type="image/png")


# --- Open Badges 3.0 ----------------------------------------------------------------------------


@require_GET
def ob3_achievement(request, level_code):
    return _json(badges.achievement_document(_level(level_code)))


@_signed
def ob3_credential_jwt(request, uuid):
    response = HttpResponse(badges.credential_jwt(_certificate(uuid)), content_type=VC_JWT)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_signed
def ob3_credential_json(request, uuid):
    return _json(badges.credential_with_proof(_certificate(uuid)))


@_signed
def ob3_credential_png(request, uuid):
    return HttpResponse(badges.baked_png(_certificate(uuid)), content_type="image/png")


def _purpose(purpose):
    if purpose not in openbadges_v3.STATUS_PURPOSES:
        raise Http404
    return purpose


@_signed
def ob3_status_list(request, purpose):
    """Data Integrity JSON-LD, or the VC-JWT for a client that asks for application/vc+jwt."""
    purpose = _purpose(purpose)
    if _wants_jwt(request):
        response = HttpResponse(badges.status_list_jwt(purpose), content_type=VC_JWT)
    else:
        response = _json(badges.status_list_with_proof(purpose))
    response["Vary"] = "Accept"
    return _fresh(response)


@_signed
def ob3_status_list_jwt(request, purpose):
    return _fresh(HttpResponse(badges.status_list_jwt(_purpose(purpose)), content_type=VC_JWT))


@_signed
def ob3_status_list_json(request, purpose):
    return _fresh(_json(badges.status_list_with_proof(_purpose(purpose))))
