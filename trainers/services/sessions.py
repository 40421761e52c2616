"""Training sessions: create, edit, publish, cancel, complete.

Publishing is refused unless the organisation (and an affiliate's sponsoring
ATO) and every trainer hold an accreditation covering the certification on
every day of the session, every trainer still holds the certificate, and no
trainer teaches another published session at an overlapping time. The
trainer rows are locked while checking, so two sessions racing to publish
with the same trainer cannot both win."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.background import enqueue
from accounts.services import audit_record

from .. import errors
from ..models import Accreditation, Membership, SessionTrainer, TrainerProfile, TrainingSession
from .accreditations import trainer_certificate_check

EDITABLE = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "mode",
    "venue",
    "meeting_link",
    "language",
    "capacity",
    "public_notes",
)


def _validate(*, organisation, trainers, starts_at, ends_at, capacity, mode, venue, meeting_link):
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise errors.InvalidTransition(_("The session must end after it starts."), field="ends_at")
    if not trainers:
        raise errors.InvalidTransition(_("Name at least one trainer."), field="trainers")
    if capacity is None or capacity < 1:
        raise errors.InvalidTransition(_("The capacity must be at least 1."), field="capacity")
    if mode in (TrainingSession.Mode.ONLINE, TrainingSession.Mode.BLENDED) and not meeting_link:
        raise errors.InvalidTransition(
            _("An online or blended session needs a meeting link."), field="meeting_link"
        )
    if mode in (TrainingSession.Mode.IN_PERSON, TrainingSession.Mode.BLENDED) and not venue:
        raise errors.InvalidTransition(_("An in-person or blended session needs a venue."), field="venue")
    members = set(
        Membership.objects.filter(
            organisation=organisation, role=Membership.Role.TRAINER, user__in=[t.user_id for t in trainers]
        ).values_list("user_id", flat=True)
    )
    outsiders = [t.display_name for t in trainers if t.user_id not in members]
    if outsiders:
        raise errors.NotAllowed(
            _("Not a trainer of %(organisation)s: %(names)s.")
            % {"organisation": organisation.name, "names": ", ".join(outsiders)},
            field="trainers",
        )


def _full_clean(session):
    """The model's own checks (field lengths, choices, the time zone), as a domain error at its field."""
    try:
        session.full_clean(exclude=["sitting", "created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise errors.InvalidTransition(
            " ".join(messages), field=None if field == NON_FIELD_ERRORS else field
        ) from None


def session_create(*, organisation, certification, trainers, actor, **fields):
    """A draft session. `fields` are the editable fields (title, starts_at, ends_at, ...)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    fields.setdefault("title", f"{certification.name} course")
    trainers = list(trainers)
    _validate(
        organisation=organisation,
        trainers=trainers,
        starts_at=fields.get("starts_at"),
        ends_at=fields.get("ends_at"),
        capacity=fields.get("capacity", 12),
        mode=fields.get("mode", TrainingSession.Mode.ONLINE),
        venue=fields.get("venue", ""),
        meeting_link=fields.get("meeting_link", ""),
    )
    with transaction.atomic():
        session = TrainingSession(
            organisation=organisation, certification=certification, created_by=actor, **fields
        )
        _full_clean(session)
        session.save()
        SessionTrainer.objects.bulk_create([SessionTrainer(session=session, trainer=t) for t in trainers])
        audit_record(action="training_session.created", target=session, actor=actor)
    return session


def session_update(*, session, actor, trainers=None, **fields):
    """Edit a draft or published session; a published one is checked again as for publishing."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status not in (TrainingSession.Status.DRAFT, TrainingSession.Status.PUBLISHED):
            raise errors.InvalidTransition(_("A cancelled or completed session cannot be edited."))
        for name, value in fields.items():
            setattr(locked, name, value)
        trainers = list(trainers) if trainers is not None else list(locked.trainers.all())
        _validate(
            organisation=locked.organisation,
            trainers=trainers,
            starts_at=locked.starts_at,
            ends_at=locked.ends_at,
            capacity=locked.capacity,
            mode=locked.mode,
            venue=locked.venue,
            meeting_link=locked.meeting_link,
        )
        _full_clean(locked)
        if locked.capacity < locked.participants.filter(status="enrolled").count():
            raise errors.InvalidTransition(
                _("The capacity cannot be below the number of enrolled participants."), field="capacity"
            )
        locked.save()
        SessionTrainer.objects.filter(session=locked).exclude(trainer__in=trainers).delete()
        for trainer in trainers:
            SessionTrainer.objects.get_or_create(session=locked, trainer=trainer)
        if locked.status == TrainingSession.Status.PUBLISHED:
            publish_check(session=locked)
            from .participants import waitlist_promote

            while waitlist_promote(locked=locked, now=timezone.now()):
                pass  # a larger capacity seats the waiting list in order
        audit_record(
            action="training_session.updated", target=locked, actor=actor, data={"fields": sorted(fields)}
        )
    session.refresh_from_db()
    return session


def _covering(accreditations, start, end):
    return any(a.covers(start, end) for a in accreditations)


def publish_problems(*, session):
    """Why the session may not be published (a list of sentences; empty when it may)."""
    return _publish_problems(session=session)[0]


def _publish_problems(*, session):
    """The sentences of publish_problems, and whether a trainer is double-booked."""
    problems, double_booked = [], False
    cert = session.certification
    start, end = session.local_start.date(), session.local_end.date()
    org = session.organisation
    orgs = [org] + ([org.sponsor] if org.is_affiliate and org.sponsor_id else [])
    for party in orgs:
        accs = Accreditation.objects.filter(organisation=party, certification=cert)
        if not _covering(accs, start, end):
            problems.append(
                _("%(party)s holds no accreditation for %(code)s valid from %(start)s to %(end)s.")
                % {
                    "party": party.name,
                    "code": cert.code,
                    "start": f"{start:%Y-%m-%d}",
                    "end": f"{end:%Y-%m-%d}",
                }
            )
    trainers = list(session.trainers.select_related("user"))
    if not trainers:
        problems.append(_("The session has no trainer."))
    for trainer in trainers:
        accs = Accreditation.objects.filter(trainer=trainer, certification=cert)
        if not _covering(accs, start, end):
            problems.append(
                _("%(trainer)s holds no accreditation for %(code)s valid from %(start)s to %(end)s.")
                % {
                    "trainer": trainer.display_name,
                    "code": cert.code,
                    "start": f"{start:%Y-%m-%d}",
                    "end": f"{end:%Y-%m-%d}",
                }
            )
        try:
            trainer_certificate_check(trainer=trainer, certification=cert)
        except errors.NotAccredited as exc:
            problems.append(exc.detail)
        clash = (
            TrainingSession.objects.filter(
                session_trainers__trainer=trainer,
                status=TrainingSession.Status.PUBLISHED,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
            )
            .exclude(pk=session.pk)
            .first()
        )
        if clash:
            double_booked = True
            problems.append(
                _("%(trainer)s is already teaching “%(title)s” (%(start)s–%(end)s UTC).")
                % {
                    "trainer": trainer.display_name,
                    "title": clash.title,
                    "start": f"{clash.starts_at:%Y-%m-%d %H:%M}",
                    "end": f"{clash.ends_at:%Y-%m-%d %H:%M}",
                }
            )
    return problems, double_booked


def publish_check(*, session):
    # Lock the trainers so that two sessions with a shared trainer publish one after the other.
    list(TrainerProfile.objects.select_for_update().filter(session_trainers__session=session).order_by("pk"))
    problems, double_booked = _publish_problems(session=session)
    if problems:
        if double_booked:
            raise errors.DoubleBooked(" ".join(problems))
        raise errors.NotAccredited(" ".join(problems))


def session_publish(*, session, actor):
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != TrainingSession.Status.DRAFT:
            raise errors.InvalidTransition(_("Only a draft session can be published."))
        publish_check(session=locked)
        done = TrainingSession.objects.filter(pk=locked.pk, status=TrainingSession.Status.DRAFT).update(
            status=TrainingSession.Status.PUBLISHED, published_at=timezone.now()
        )
        if done != 1:
            raise errors.InvalidTransition(_("Only a draft session can be published."))
        audit_record(action="training_session.published", target=locked, actor=actor)
    session.refresh_from_db()
    return session


def session_cancel(*, session, actor, reason=""):
    with transaction.atomic():
        done = TrainingSession.objects.filter(
            pk=session.pk, status__in=[TrainingSession.Status.DRAFT, TrainingSession.Status.PUBLISHED]
        ).update(status=TrainingSession.Status.CANCELLED, cancelled_at=timezone.now())
        if done != 1:
            raise errors.InvalidTransition(_("Only a draft or published session can be cancelled."))
        audit_record(action="training_session.cancelled", target=session, actor=actor, reason=reason)
    session.refresh_from_db()
    from .participants import participants_notify_cancelled

    participants_notify_cancelled(session=session)
    return session


def session_complete(*, session, actor, now=None):
    """Mark a published session as delivered (after it has started); participants get the survey."""
    now = now or timezone.now()
    if session.starts_at > now:
        raise errors.InvalidTransition(_("A session can be completed only once it has started."))
    with transaction.atomic():
        done = TrainingSession.objects.filter(pk=session.pk, status=TrainingSession.Status.PUBLISHED).update(
            status=TrainingSession.Status.COMPLETED, completed_at=now
        )
        if done != 1:
            raise errors.InvalidTransition(_("Only a published session can be completed."))
        audit_record(action="training_session.completed", target=session, actor=actor)
        transaction.on_commit(lambda: _after_complete(session.pk))
    session.refresh_from_db()
    return session


def _after_complete(session_id):
    from ..tasks import feedback_invitations_send

    enqueue(feedback_invitations_send, session_id)
