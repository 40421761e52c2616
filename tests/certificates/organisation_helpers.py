"""Organisations' certificates for the tests, issued by the service from plain values, the way
the assessments app calls it after a grant."""

from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

from certificates.organisation_services import organisation_certificate_issue

_keys = count(1000)
GRANTED_AT = datetime(2026, 3, 10, 11, 0, tzinfo=ZoneInfo("UTC"))


def values(**overrides):
    data = {
        "grant_key": next(_keys),
        "organisation_name": "Harbour Cloud Services",
        "organisation_slug": "harbour-cloud",
        "organisation_country": "nl",
        "organisation_website": "https://harbour.example",
        "level_code": "essentials",
        "level_name": "FitSM Essentials",
        "level_summary": "The entry level of organisational certification.",
        "scope_statement": "Managed hosting and the service desk, run from the Rotterdam office.",
        "granted_at": GRANTED_AT,
        "contact_emails": ["owner@harbour.example"],
    }
    data.update(overrides)
    return data


def issue(**overrides):
    certificate, _ = organisation_certificate_issue(**values(**overrides))
    return certificate
