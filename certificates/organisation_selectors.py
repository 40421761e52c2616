"""Reads of organisations' certificates: lookup by code, the public providers register, and
the grants already issued (for the assessments app's sweep)."""

from django.db.models import Q
from django.utils import timezone

from .codes import code_is_well_formed, code_normalise
from .models import Certificate, OrganisationCertificate


def organisation_certificate_lookup(raw_code):
    """(certificate or None, mistyped: bool) for a code as a person typed it."""
    code = code_normalise(raw_code)
    certificate = OrganisationCertificate.objects.filter(code=code).first()
    if certificate is not None:
        return certificate, False
    return None, not code_is_well_formed(code)


def any_certificate_lookup(raw_code):
    """The certificate of either kind with this code: (certificate or None, mistyped). Personal
    certificates first; codes are unique across both kinds."""
    code = code_normalise(raw_code)
    personal = Certificate.objects.select_related("certification").filter(code=code).first()
    if personal is not None:
        return personal, False
    return organisation_certificate_lookup(code)


def issued_grant_keys(keys=None):
    """The grant keys that have their certificate (of `keys`, when given)."""
    rows = OrganisationCertificate.objects.all()
    if keys is not None:
        rows = rows.filter(grant_key__in=list(keys))
    return set(rows.values_list("grant_key", flat=True))


def organisation_certificate_of_grant(grant_key):
    return OrganisationCertificate.objects.filter(grant_key=grant_key).first()


def _with_status(certificates, today):
    for certificate in certificates:
        certificate.current_status = certificate.status_on(today)
    return certificates


def providers_register(*, query=""):
    """One row per certified provider (by its slug): its name as last certified, and its most
    relevant certificate — the newest one in force, else the newest of any status. Sorted by name;
    `query` matches part of the name (case-insensitive)."""
    today = timezone.localdate()
    rows = OrganisationCertificate.objects.order_by("organisation_slug", "-issued_at", "-pk")
    query = (query or "").strip()
    if query:
        matching = (
            OrganisationCertificate.objects.filter(organisation_name__icontains=query)
            .values_list("organisation_slug", flat=True)
            .distinct()
        )
        rows = rows.filter(organisation_slug__in=list(matching))
    providers = {}
    for certificate in rows:
        certificate.current_status = certificate.status_on(today)
        entry = providers.setdefault(
            certificate.organisation_slug,
            {
                "slug": certificate.organisation_slug,
                "name": certificate.organisation_name,
                "certificates": [],
            },
        )
        entry["certificates"].append(certificate)
    register = []
    for entry in providers.values():
        in_force = [c for c in entry["certificates"] if c.current_status == Certificate.Status.VALID]
        entry["current"] = in_force[0] if in_force else entry["certificates"][0]
        entry["country"] = entry["certificates"][0].organisation_country
        register.append(entry)
    return sorted(register, key=lambda e: (e["name"].casefold(), e["slug"]))


def provider_certificates(slug):
    """A provider's certificates, newest first, each with its status today; empty when it has none."""
    today = timezone.localdate()
    return _with_status(list(OrganisationCertificate.objects.filter(organisation_slug=slug)), today)


def organisation_certificates_search(*, query=""):
    """Examiner search: by certificate number (dashes and case ignored) or part of the name."""
    rows = OrganisationCertificate.objects.order_by("-issued_at", "-pk")
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            Q(code=code_normalise(query))
            | Q(organisation_name__icontains=query)
            | Q(organisation_slug=query.lower())
        )
    return rows


def organisation_certificate_history(*, certificate):
    """The audit entries of one certificate, newest first."""
    from accounts.models import AuditEntry

    return AuditEntry.objects.filter(
        target_type=OrganisationCertificate._meta.label_lower, target_id=str(certificate.pk)
    ).select_related("actor")
