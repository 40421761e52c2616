"""Vouchers: unguessable single-use codes that register a learner in the
on-demand sitting of a certification."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from accounts.services import audit_record

from .. import errors, hooks
from ..codes import ALPHABET, voucher_code_generate  # noqa: F401 - ALPHABET re-exported for callers
from ..models import Registration, Voucher
from .sittings import sitting_on_demand_get


def voucher_code_normalise(raw):
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def voucher_code_display(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def voucher_create(
    *, certification, valid_until, created_by=None, issued_to="", issued_to_user=None, count=1
):
    if not certification.is_exam:
        raise errors.InvalidTransition(gettext("%(name)s has no exam.") % {"name": certification.name})
    vouchers = []
    with transaction.atomic():
        for _ in range(count):
            voucher = Voucher.objects.create(
                code=voucher_code_generate(),
                certification=certification,
                valid_until=valid_until,
                created_by=created_by,
                issued_to=issued_to,
                issued_to_user=issued_to_user,
            )
            audit_record(action="voucher.created", target=voucher, actor=created_by)
            vouchers.append(voucher)
    return vouchers


def voucher_redeem(*, code, user, now):
    """Single-use under concurrency: the conditional UPDATE lets exactly one redemption win."""
    voucher = (
        Voucher.objects.filter(code=voucher_code_normalise(code)).select_related("certification").first()
    )
    if voucher is None:
        raise errors.VoucherUnknown()
    if voucher.redeemed_by_id is not None:
        if voucher.redeemed_by_id == user.pk and voucher.registration_id:
            return voucher.registration
        raise errors.VoucherUsed()
    if voucher.valid_until < now:
        raise errors.VoucherExpired()
    if voucher.issued_to_user_id and voucher.issued_to_user_id != user.pk:
        raise errors.VoucherUnknown()
    missing = hooks.missing_prerequisites(user, voucher.certification)
    if missing:
        raise errors.NotEligible(
            gettext("You first need to hold: %(names)s.") % {"names": ", ".join(c.name for c in missing)}
        )
    sitting = sitting_on_demand_get(certification=voucher.certification)
    with transaction.atomic():
        won = Voucher.objects.filter(pk=voucher.pk, redeemed_by__isnull=True).update(
            redeemed_by=user, redeemed_at=now
        )
        if not won:
            raise errors.VoucherUsed()
        registration, created = Registration.objects.get_or_create(sitting=sitting, user=user)
        if not created:
            Registration.objects.filter(pk=registration.pk).update(attempts_allowed=F("attempts_allowed") + 1)
            registration.refresh_from_db()
        Voucher.objects.filter(pk=voucher.pk).update(registration=registration)
        audit_record(action="voucher.redeemed", target=voucher, actor=user)
    return registration


def voucher_code_rotate(*, voucher, actor=None, reason=""):
    """Give an unredeemed voucher a new code, so the old one (handed to someone) stops working.

    The conditional UPDATE loses to a redemption that got there first: then VoucherUsed.
    Returns the voucher with its new code."""
    new_code = voucher_code_generate()
    with transaction.atomic():
        done = Voucher.objects.filter(pk=voucher.pk, redeemed_by__isnull=True).update(code=new_code)
        if done != 1:
            raise errors.VoucherUsed()
        audit_record(action="voucher.code_rotated", target=voucher, actor=actor, reason=reason)
    voucher.refresh_from_db()
    return voucher
