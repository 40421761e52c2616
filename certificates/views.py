"""Public verification (no account) and the holder's wallet."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import request_limited

from .codes import code_normalise
from .forms import HolderDidForm, RegisterSearchForm
from .levels import attests, how_earned, level_name
from .openbadges_v3 import issuer_did
from .selectors import certificate_find, certificate_lookup, certificates_of, holder_did
from .services import holder_did_set
from .sharing import linkedin_add_url
from .signing_keys import signed_badges_available


@require_http_methods(["GET", "POST"])
def register_search(request):
    form = RegisterSearchForm(request.POST or None)
    status = 200
    not_found = False
    if request.method == "POST":
        if request_limited(request, "certificate-search:ip"):
            return render(request, "certificates/search.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            certificate = certificate_find(
                code=form.cleaned_data["code"], family_name=form.cleaned_data["family_name"]
            )
            if certificate is not None:
                return redirect("certificate_verify", code=certificate.code)
            _, mistyped = certificate_lookup(form.cleaned_data["code"])
            not_found, status = ("mistyped" if mistyped else True), 404
        else:
            status = 400
    return render(request, "certificates/search.html", {"form": form, "not_found": not_found}, status=status)


def verify(request, code):
    """The verification page of a certificate of either kind: a person's or an organisation's."""
    certificate, mistyped = certificate_lookup(code)
    if certificate is None:
        from .organisation_selectors import organisation_certificate_lookup
        from .organisation_views import verify_page

        organisation_certificate, _ = organisation_certificate_lookup(code)
        if organisation_certificate is not None:
            if organisation_certificate.code != code:
                return redirect("certificate_verify", code=organisation_certificate.code)
            return verify_page(request, organisation_certificate)
    if certificate is None:
        return render(
            request,
            "certificates/not_found.html",
            {"code": code_normalise(code), "mistyped": mistyped},
            status=404,
        )
    if certificate.code != code:
        return redirect("certificate_verify", code=certificate.code)
    verify_url = f"{settings.SITE_URL}/verify/{certificate.code}/"
    response = render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "status": certificate.status_on(timezone.localdate()),
            "verify_url": verify_url,
            "issuing_body": settings.ISSUING_BODY,
            "badge_image_url": f"{settings.SITE_URL}/ob/v2/badges/{certificate.certification.code}.png",
            "attests": attests(certificate.certification),
            "level": level_name(certificate.certification),
            "how_earned": how_earned(certificate.certification),
            "issuer_did": issuer_did(),
        },
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def wallet(request):

    did_form = HolderDidForm(request.POST or None, initial={"did": holder_did(request.user) or ""})
    status = 200
    if request.method == "POST":
        if did_form.is_valid():
            try:
                holder_did_set(user=request.user, did=did_form.cleaned_data["did"])
            except ValueError as exc:
                did_form.add_error("did", str(exc))
            else:
                return redirect("certificate_wallet")
        status = 400
    rows = []
    for c in certificates_of(request.user):
        linkedin = linkedin_add_url(c)
        rows.append(
            {
                "certificate": c,
                "status": c.status_on(timezone.localdate()),
                "linkedin": linkedin,
                "share_url": f"{settings.SITE_URL}/verify/{c.code}/",
            }
        )
    response = render(
        request,
        "certificates/wallet.html",
        {"rows": rows, "signed_badges": signed_badges_available(), "did_form": did_form},
        status=status,
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def wallet_pdf(request, code):
    from django.http import FileResponse, Http404

    from .pdf import certificate_pdf_ensure
    from .storage import private_storage

    certificate = certificates_of(request.user).filter(code=code).first()
    if certificate is None:
        raise Http404
    name = certificate_pdf_ensure(certificate)
    response = FileResponse(private_storage.open(name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="FitSM-{certificate.certification.code}-{certificate.code}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
