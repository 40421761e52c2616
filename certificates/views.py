"""Public verification (no account) and the holder's wallet."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .codes import code_normalise
from .forms import RegisterSearchForm
from .selectors import certificate_find, certificate_lookup, certificates_of
from .signing_keys import signed_badges_available

SEARCH_LIMIT = 10  # searches per client per window
SEARCH_WINDOW = 600  # seconds


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def _rate_limited(request):
    key = f"verify-search:{_client_ip(request)}"
    cache.add(key, 0, SEARCH_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, SEARCH_WINDOW)
        count = 1
    return count > SEARCH_LIMIT


@require_http_methods(["GET", "POST"])
def register_search(request):
    form = RegisterSearchForm(request.POST or None)
    status = 200
    not_found = False
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "certificates/search.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            certificate = certificate_find(
                code=form.cleaned_data["code"], family_name=form.cleaned_data["family_name"]
            )
            if certificate is not None:
                return redirect("certificate_verify", code=certificate.code)
            not_found, status = True, 404
        else:
            status = 400
    return render(request, "certificates/search.html", {"form": form, "not_found": not_found}, status=status)


def verify(request, code):
    certificate, mistyped = certificate_lookup(code)
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
        },
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def wallet(request):
    from urllib.parse import urlencode

    rows = []
    for c in certificates_of(request.user):
        linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": c.certification_name,
                "organizationName": settings.ISSUING_BODY,
                "issueYear": c.issued_on.year,
                "issueMonth": c.issued_on.month,
                "certUrl": f"{settings.SITE_URL}/verify/{c.code}/",
                "certId": c.code,
            }
        )
        rows.append(
            {
                "certificate": c,
                "linkedin": linkedin,
                "share_url": f"{settings.SITE_URL}/verify/{c.code}/",
            }
        )
    return render(
        request, "certificates/wallet.html", {"rows": rows, "signed_badges": signed_badges_available()}
    )


@login_required
def wallet_pdf(request, code):
    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    from .pdf import certificate_pdf_ensure

    certificate = certificates_of(request.user).filter(code=code).first()
    if certificate is None:
        raise Http404
    name = certificate_pdf_ensure(certificate)
    response = FileResponse(default_storage.open(name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="FitSM-{certificate.certification.code}-{certificate.code}.pdf"'
    )
    return response
