"""Organisations, their members and trainer profiles, and invitations of trainers."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.background import enqueue
from accounts.roles import ATO_ADMIN, TRAINER, role_add
from accounts.services import audit_record

from .. import errors
from ..models import Membership, Organisation, TrainerInvitation, TrainerProfile

INVITATION_DAYS = 14


def _unique_slug(model, base):
    base = slugify(base)[:70] or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def organisation_create(*, name, country, kind=Organisation.Kind.ATO, sponsor=None, actor=None, **fields):
    if kind == Organisation.Kind.AFFILIATE and (sponsor is None or sponsor.kind != Organisation.Kind.ATO):
        raise errors.InvalidTransition(_("An affiliate must name its sponsoring ATO."))
    if kind == Organisation.Kind.ATO and sponsor is not None:
        raise errors.InvalidTransition(_("An ATO has no sponsor."))
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            slug=fields.pop("slug", None) or _unique_slug(Organisation, name),
            country=country.upper(),
            kind=kind,
            sponsor=sponsor,
            **fields,
        )
        audit_record(action="organisation.created", target=org, actor=actor)
    return org


def organisation_update(*, organisation, actor, **fields):
    """Change an organisation's details (the CMS form). The same rules as at creation: an
    affiliate names its sponsoring ATO, an ATO has none; every change is audited."""
    kind = fields.get("kind", organisation.kind)
    sponsor = fields.get("sponsor", organisation.sponsor)
    if kind == Organisation.Kind.AFFILIATE and (sponsor is None or sponsor.kind != Organisation.Kind.ATO):
        raise errors.InvalidTransition(_("An affiliate must name its sponsoring ATO."))
    if kind == Organisation.Kind.ATO and sponsor is not None:
        raise errors.InvalidTransition(_("An ATO has no sponsor."))
    if sponsor is not None and sponsor.pk == organisation.pk:
        raise errors.InvalidTransition(_("An organisation cannot sponsor itself."))
    if kind == Organisation.Kind.AFFILIATE and organisation.affiliates.exists():
        raise errors.InvalidTransition(
            _("This ATO sponsors affiliates; it cannot become an affiliate itself.")
        )
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = {}
        for field, value in fields.items():
            if field == "country":
                value = str(value).upper()
            old = getattr(locked, field)
            if old != value:
                changed[field] = [str(old), str(value)]
                setattr(locked, field, value)
        if changed:
            locked.save()
            audit_record(action="organisation.updated", target=locked, actor=actor, data=changed)
    return locked


def membership_add(*, organisation, user, role, actor=None):
    """Idempotent; gives the person the matching site role (Trainers or ATO admins)."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=user, role=role
        )
        role_add(user, TRAINER if role == Membership.Role.TRAINER else ATO_ADMIN)
        if created:
            audit_record(action=f"membership.{role}_added", target=membership, actor=actor)
        if role == Membership.Role.TRAINER:
            trainer_profile_ensure(user=user)
    return membership


def trainer_profile_ensure(*, user, display_name=None, languages=None):
    profile = TrainerProfile.objects.filter(user=user).first()
    if profile:
        return profile
    name = display_name or user.printed_name
    try:
        with transaction.atomic():
            return TrainerProfile.objects.create(
                user=user,
                display_name=name,
                slug=_unique_slug(TrainerProfile, name),
                languages=languages if languages is not None else user.language,
            )
    except IntegrityError:
        return TrainerProfile.objects.get(user=user)


def trainer_invitation_create(*, organisation, email, actor, now=None):
    now = now or timezone.now()
    email = (email or "").strip().lower()
    if not email:
        raise errors.InvalidTransition(_("Give the e-mail address to invite."))
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, role="trainer"
    ).exists():
        raise errors.InvalidTransition(
            _("%(email)s is already a trainer of %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        )
    with transaction.atomic():
        TrainerInvitation.objects.filter(
            organisation=organisation, email=email, accepted_at__isnull=True
        ).delete()
        invitation = TrainerInvitation.objects.create(
            organisation=organisation,
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        audit_record(
            action="trainer_invitation.created", target=invitation, actor=actor, data={"email": email}
        )
        transaction.on_commit(lambda: _after_invite(invitation.pk))
    return invitation


def _after_invite(invitation_id):
    from ..tasks import trainer_invitation_send

    enqueue(trainer_invitation_send, invitation_id)


def trainer_invitation_accept(*, token, user, now=None):
    """The signed-in person accepts; the invitation must be for their e-mail address and still valid."""
    now = now or timezone.now()
    invitation = TrainerInvitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or invitation.email.lower() != user.email.lower():
        raise errors.NotAllowed(_("This invitation is not for your account."))
    if invitation.expires_at < now:
        raise errors.InvalidTransition(_("This invitation has expired; ask for a new one."))
    with transaction.atomic():
        done = TrainerInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=now, accepted_by=user
        )
        if done != 1:
            raise errors.InvalidTransition(_("This invitation has already been used."))
        membership = membership_add(
            organisation=invitation.organisation, user=user, role=Membership.Role.TRAINER, actor=user
        )
        audit_record(action="trainer_invitation.accepted", target=invitation, actor=user)
    return membership
