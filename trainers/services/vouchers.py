"""Exam vouchers of an organisation's pool (created by the exam engine).

Examiners allocate vouchers to the pool, on their own or for an ATO admin's
request. The ATO admin assigns a voucher to a person by e-mail address (the
code is e-mailed to it; whether an account uses the address is never shown)
and may revoke an assignment that is not redeemed yet: the voucher then gets a
new code, so the e-mailed one stops working, and returns to the pool. The
organisation row is locked while a voucher is picked, so two assignments never
pick the same voucher (the database refuses a second live assignment too)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.background import enqueue_on_commit
from accounts.services import audit_record
from exams.errors import VoucherUsed
from exams.services import voucher_create
from exams.services.vouchers import voucher_code_rotate

from .. import errors
from ..models import Accreditation, Organisation, OrganisationVoucher, VoucherAssignment, VoucherRequest
from .invitations import email_normalise

A = VoucherAssignment.Status
R = VoucherRequest.Status
MAX_REQUEST = 500


def organisation_vouchers_allocate(*, organisation, certification, count, valid_until, actor, request=None):
    """Create `count` vouchers in the organisation's pool; naming an open request fulfils it."""
    with transaction.atomic():
        if request is not None:
            if request.organisation_id != organisation.pk or request.certification_id != certification.pk:
                raise errors.InvalidTransition(_("The request is for another organisation or certification."))
            _request_close(request=request, to=R.FULFILLED, actor=actor, note=f"{count} allocated.")
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
            data={
                "certification": certification.code,
                "count": count,
                **({"request": request.pk} if request else {}),
            },
        )
    return vouchers


def pool_available_q(now):
    """Pool vouchers that can be handed out: not redeemed, not expired, not assigned to anyone."""
    return Q(voucher__redeemed_at__isnull=True, voucher__valid_until__gte=now) & ~Q(
        assignments__status=A.ASSIGNED
    )


def organisation_voucher_assign(*, organisation, certification, email, actor, now=None):
    """Hand the voucher of the pool that expires first to the address; its code is e-mailed."""
    now = now or timezone.now()
    email = email_normalise(email)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        pool_voucher = (
            OrganisationVoucher.objects.filter(
                organisation=organisation, voucher__certification=certification
            )
            .filter(pool_available_q(now))
            .select_related("voucher")
            .order_by("voucher__valid_until", "pk")
            .first()
        )
        if pool_voucher is None:
            raise errors.InvalidTransition(
                _("No %(code)s voucher is left in the pool: request more from the certification body.")
                % {"code": certification.code},
                field="certification",
            )
        assignment = VoucherAssignment.objects.create(
            pool_voucher=pool_voucher, email=email, assigned_by=actor
        )
        audit_record(
            action="organisation_voucher.assigned",
            target=assignment,
            actor=actor,
            data={"email": email, "voucher": pool_voucher.voucher_id, "organisation": organisation.pk},
        )
        from ..tasks import voucher_assignment_send

        enqueue_on_commit(voucher_assignment_send, assignment.pk)
    return assignment


def organisation_voucher_revoke(*, assignment, actor, now=None):
    """Take back an unredeemed voucher: it gets a new code (the e-mailed one stops working) and returns
    to the pool. A voucher already redeemed cannot be taken back."""
    now = now or timezone.now()
    with transaction.atomic():
        done = VoucherAssignment.objects.filter(pk=assignment.pk, status=A.ASSIGNED).update(
            status=A.REVOKED, revoked_at=now, revoked_by=actor
        )
        if done != 1:
            raise errors.InvalidTransition(_("This voucher assignment is already revoked."))
        voucher = assignment.pool_voucher.voucher
        try:
            voucher_code_rotate(voucher=voucher, actor=actor, reason="Assignment revoked by the ATO admin.")
        except VoucherUsed:
            raise errors.InvalidTransition(
                _("This voucher has already been redeemed; it cannot be revoked.")
            ) from None
        audit_record(action="organisation_voucher.revoked", target=assignment, actor=actor)
        from ..tasks import voucher_revocation_send

        enqueue_on_commit(voucher_revocation_send, assignment.pk)
    assignment.refresh_from_db()
    return assignment


def voucher_request_create(*, organisation, certification, count, note, actor):
    """An ATO admin asks the certification body for more vouchers of a certification the organisation
    is accredited for."""
    if not isinstance(count, int) or not 1 <= count <= MAX_REQUEST:
        raise errors.InvalidTransition(
            _("Ask for 1 to %(max)s vouchers.") % {"max": MAX_REQUEST}, field="count"
        )
    if not Accreditation.objects.filter(
        organisation=organisation, certification=certification, status=Accreditation.Status.ACCREDITED
    ).exists():
        raise errors.NotAccredited(
            _("%(organisation)s is not accredited for %(code)s.")
            % {"organisation": organisation.name, "code": certification.code},
            field="certification",
        )
    with transaction.atomic():
        request = VoucherRequest.objects.create(
            organisation=organisation,
            certification=certification,
            count=count,
            note=(note or "").strip(),
            requested_by=actor,
        )
        audit_record(
            action="voucher_request.created",
            target=request,
            actor=actor,
            data={"certification": certification.code, "count": count},
        )
    return request


def voucher_request_decline(*, request, actor, note=""):
    with transaction.atomic():
        _request_close(request=request, to=R.DECLINED, actor=actor, note=note)
    request.refresh_from_db()
    return request


def _request_close(*, request, to, actor, note):
    done = VoucherRequest.objects.filter(pk=request.pk, status=R.OPEN).update(
        status=to, handled_by=actor, handled_at=timezone.now(), response_note=(note or "").strip()
    )
    if done != 1:
        raise errors.InvalidTransition(_("This request has already been handled."))
    audit_record(action=f"voucher_request.{to}", target=request, actor=actor, reason=note or "")
