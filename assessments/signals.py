"""Signals of the assessments app. `organisation_certification_granted` is sent (after the
decision's transaction commits) with `application`, a CertificationApplication whose `grant`
names the level; the certificates app issues the organisation's certificate from it."""

from django.dispatch import Signal

organisation_certification_granted = Signal()
