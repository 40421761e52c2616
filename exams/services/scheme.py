"""The certification scheme as data: certifications and their exam parameters, changed by
examiners through these functions only (the CMS screens and the content loader)."""

from django.db import transaction
from django.utils.translation import gettext

from accounts.services import audit_record

from .. import errors
from ..models import Certification
from .bank import blueprint_validate

EDITABLE = (
    "name",
    "earned_by",
    "question_count",
    "duration_minutes",
    "pass_mark",
    "options_per_question",
    "closed_book",
    "position",
)


def _parameters_check(values):
    if not 0 < values["pass_mark"] <= 100 and values["earned_by"] == Certification.EarnedBy.EXAM:
        raise errors.InvalidTransition(gettext("The pass mark is a percentage between 1 and 100."))
    if values["earned_by"] == Certification.EarnedBy.EXAM and not (
        values["question_count"] > 0 and values["duration_minutes"] > 0
    ):
        raise errors.InvalidTransition(gettext("An exam needs at least one question and one minute."))
    if not 2 <= values["options_per_question"] <= 8:
        raise errors.InvalidTransition(gettext("A question has between 2 and 8 options."))


def certification_create(*, code, actor, prerequisites=(), **values):
    """A new certification. Its blueprint (topics and quotas) comes with its questions; no sitting
    opens until the blueprint can be filled."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise errors.InvalidTransition(
            gettext("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    values = {
        "earned_by": Certification.EarnedBy.EXAM,
        "question_count": 0,
        "duration_minutes": 0,
        "pass_mark": 0,
        "options_per_question": 4,
        "closed_book": True,
        "position": 0,
    } | values
    _parameters_check(values)
    with transaction.atomic():
        certification = Certification.objects.create(code=code.strip().upper(), **values)
        certification.prerequisites.set(prerequisites)
        audit_record(
            action="certification.created",
            target=certification,
            actor=actor,
            data={"code": certification.code},
        )
    return certification


def certification_update(*, certification, actor, prerequisites=None, **values):
    """Change a certification's parameters. Refused when the exam could no longer be assembled
    from its blueprint (the quotas must sum to the question count and every topic be fillable
    from approved exam questions), or when a certification would require itself."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise errors.InvalidTransition(
            gettext("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        before = {f: getattr(locked, f) for f in EDITABLE}
        after = before | values
        _parameters_check(after)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(values) or None)
        changed = {f: [str(before[f]), str(after[f])] for f in EDITABLE if before[f] != after[f]}
        if prerequisites is not None:
            prerequisites = list(prerequisites)
            if any(p.pk == locked.pk for p in prerequisites):
                raise errors.InvalidTransition(gettext("A certification cannot be its own prerequisite."))
            old = sorted(locked.prerequisite_codes)
            locked.prerequisites.set(prerequisites)
            new = sorted(p.code for p in prerequisites)
            if old != new:
                changed["prerequisites"] = [",".join(old), ",".join(new)]
        if locked.is_exam and locked.topics.exists():
            blueprint_validate(locked)
        audit_record(action="certification.updated", target=locked, actor=actor, data=changed)
    return locked
