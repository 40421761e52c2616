"""Exam vouchers allocated to an organisation's pool (created by the exam engine)."""

from django.db import transaction

from accounts.services import audit_record
from exams.services import voucher_create

from ..models import OrganisationVoucher


def organisation_vouchers_allocate(*, organisation, certification, count, valid_until, actor):
    with transaction.atomic():
        vouchers = voucher_create(
            certification=certification,
            valid_until=valid_until,
            created_by=actor,
            issued_to=organisation.name,
            count=count,
        )
        OrganisationVoucher.objects.bulk_create(
            [OrganisationVoucher(organisation=organisation, voucher=v) for v in vouchers]
        )
        audit_record(
            action="organisation.vouchers_allocated",
            target=organisation,
            actor=actor,
            data={"certification": certification.code, "count": count},
        )
    return vouchers
