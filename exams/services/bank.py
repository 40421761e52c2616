"""The question bank: authoring workflow with four-eyes approval, versioning,
blueprint validation, and all-or-nothing imports from parsed item dicts."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import audit_record

from .. import errors
from ..models import Certification, Purpose, Question, QuestionOption, QuestionVersion, Topic
from ..presentation import letter_references
from ..selectors import approved_exam_counts

LABELS = ("A", "B", "C", "D")


@dataclass
class ItemData:
    """One question as read from a file, before it touches the database."""

    external_id: str
    certification: str
    purpose: str
    topic: str
    stem: str
    options: dict
    answer: str
    rationale: str
    reference: str
    difficulty: int = 2
    position: str = ""
    problems: list = field(default_factory=list)
    # The wording's language; a translation carries its status (draft, translated, reviewed).
    language: str = "en"
    status: str = ""


def item_validate(item, *, topics_by_cert):
    """Every problem of one item, as human-readable strings (empty when valid)."""
    p = []
    if not item.external_id:
        p.append(gettext("missing id"))
    if item.certification not in topics_by_cert:
        p.append(gettext("unknown certification %(code)r") % {"code": item.certification})
    elif item.topic not in topics_by_cert[item.certification]:
        p.append(
            gettext("unknown topic %(topic)r for %(certification)s")
            % {"topic": item.topic, "certification": item.certification}
        )
    if item.purpose not in Purpose.values:
        p.append(gettext("purpose must be exam or practice, not %(purpose)r") % {"purpose": item.purpose})
    if not (item.stem or "").strip():
        p.append(gettext("missing stem"))
    if not isinstance(item.options, dict) or sorted(item.options) != list(LABELS):
        p.append(gettext("needs exactly four options A, B, C, D"))
    elif any(not str(v or "").strip() for v in item.options.values()):
        p.append(gettext("an option is empty"))
    else:
        seen = {}
        for label in LABELS:
            seen.setdefault(" ".join(str(item.options[label]).casefold().split()), []).append(label)
        alike = [labels for labels in seen.values() if len(labels) > 1]
        if alike:
            p.append(
                gettext("options %(labels)s say the same; each option needs its own wording")
                % {"labels": ", ".join(" = ".join(labels) for labels in alike)}
            )
    if item.answer not in LABELS:
        p.append(gettext("answer must be one of A-D, not %(answer)r") % {"answer": item.answer})
    if not (item.rationale or "").strip():
        p.append(gettext("missing rationale"))
    elif letter_references(item.rationale, item.language):
        letters = dict.fromkeys(letter_references(item.rationale, item.language))
        p.append(
            gettext(
                "the rationale names an option by its letter (%(letters)s); options are re-lettered "
                "for every candidate, so explain them by their content"
            )
            % {"letters": ", ".join(repr(r) for r in letters)}
        )
    if not (item.reference or "").strip():
        p.append(gettext("missing reference"))
    if item.difficulty not in (1, 2, 3):
        p.append(
            gettext("difficulty must be 1, 2 or 3, not %(difficulty)r") % {"difficulty": item.difficulty}
        )
    return p


def _version_matches(version, item):
    if version is None:
        return False
    opts = {o.label: (o.text, o.is_correct) for o in version.options.all()}
    wanted = {label: (str(item.options[label]).strip(), label == item.answer) for label in LABELS}
    return (
        version.stem == item.stem.strip()
        and version.rationale == item.rationale.strip()
        and version.reference == item.reference.strip()
        and opts == wanted
    )


def _version_create(question, item, actor):
    number = (question.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = QuestionVersion.objects.create(
        question=question,
        number=number,
        stem=item.stem.strip(),
        rationale=item.rationale.strip(),
        reference=item.reference.strip(),
        created_by=actor,
    )
    QuestionOption.objects.bulk_create(
        QuestionOption(
            version=version,
            label=label,
            text=str(item.options[label]).strip(),
            is_correct=label == item.answer,
        )
        for label in LABELS
    )
    return version


def items_import(items, *, actor=None, status=Question.Status.APPROVED):
    """Import items all-or-nothing. Raises BankError listing every bad item with
    its position; otherwise creates or updates questions (a changed wording
    becomes a new version) and returns counts."""
    topics_by_cert = {}
    for t in Topic.objects.select_related("certification"):
        topics_by_cert.setdefault(t.certification.code, {})[t.code] = t
    problems = []
    seen = {}
    for item in items:
        item.problems = item_validate(item, topics_by_cert=topics_by_cert)
        if item.external_id in seen:
            item.problems.append(
                gettext("id %(id)s repeats the item at %(position)s")
                % {"id": item.external_id, "position": seen[item.external_id]}
            )
        seen.setdefault(item.external_id, item.position)
        if item.problems:
            problems.append(
                f"{item.position} ({item.external_id or gettext('no id')}): " + "; ".join(item.problems)
            )
    if problems:
        raise errors.BankError(gettext("Nothing was imported.") + " " + " | ".join(problems))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    certs = {c.code: c for c in Certification.objects.all()}
    now = timezone.now()
    with transaction.atomic():
        before = _approved_exam_counts_by_topic([certs[c].pk for c in {i.certification for i in items}])
        existing = {
            q.external_id: q
            for q in Question.objects.filter(external_id__in=[i.external_id for i in items])
            .select_related("current_version")
            .prefetch_related("current_version__options")
        }
        for item in items:
            topic = topics_by_cert[item.certification][item.topic]
            question = existing.get(item.external_id)
            if question is None:
                question = Question.objects.create(
                    external_id=item.external_id,
                    certification=certs[item.certification],
                    topic=topic,
                    purpose=item.purpose,
                    difficulty=item.difficulty,
                    status=status,
                    author=actor,
                    approved_at=now if status == Question.Status.APPROVED else None,
                )
                counts["created"] += 1
            else:
                if question.certification.code != item.certification or question.purpose != item.purpose:
                    raise errors.BankError(
                        gettext(
                            "Nothing was imported. %(position)s (%(id)s): an existing question "
                            "cannot move to another certification or purpose; give it a new id."
                        )
                        % {"position": item.position, "id": item.external_id}
                    )
                changed = _version_matches(question.current_version, item) is False
                meta_changed = question.topic_id != topic.id or question.difficulty != item.difficulty
                if not changed and not meta_changed:
                    counts["unchanged"] += 1
                    continue
                question.topic = topic
                question.difficulty = item.difficulty
                question.save(update_fields=["topic", "difficulty", "updated_at"])
                if not changed:
                    counts["updated"] += 1
                    continue
                counts["updated"] += 1
            version = _version_create(question, item, actor)
            Question.objects.filter(pk=question.pk).update(current_version=version)
            if question.current_version_id is not None:
                _translations_follow(question)
        _blueprints_keep(before, what=gettext("The import"))
    return counts


def _translations_follow(question):
    from .translations import translations_follow_english

    translations_follow_english(question=question)


def _approved_exam_counts_by_topic(certification_ids):
    return {
        cert.pk: approved_exam_counts(cert)
        for cert in Certification.objects.filter(pk__in=certification_ids).prefetch_related("topics")
    }


def _blueprints_keep(before, *, what):
    """Refuse (inside the caller's transaction) a change that took a topic of a blueprint below
    its quota of approved exam questions. `before` is _approved_exam_counts_by_topic taken
    before the change; topics already short before are not blamed on it."""
    problems = []
    for cert in Certification.objects.filter(pk__in=list(before)).prefetch_related("topics"):
        if not cert.is_exam:
            continue
        after = approved_exam_counts(cert)
        for topic in cert.topics.all():
            had, has = before[cert.pk].get(topic.id, 0), after.get(topic.id, 0)
            if has < topic.quota and has < had:
                problems.append(
                    gettext(
                        "%(certification)s topic %(topic)s would keep %(has)d approved exam questions, "
                        "below its quota of %(quota)d"
                    )
                    % {"certification": cert.code, "topic": topic.code, "has": has, "quota": topic.quota}
                )
    if problems:
        raise errors.BlueprintUnfillable(
            gettext("%(what)s was refused: %(problems)s. Approve a replacement question first.")
            % {"what": what, "problems": "; ".join(problems)}
        )


def question_create(
    *,
    actor,
    certification,
    topic,
    purpose,
    external_id,
    difficulty,
    stem,
    options,
    answer,
    rationale,
    reference,
):
    """A new question written in the CMS: a draft with its first version, authored by `actor`.
    It reaches candidates only after a second examiner approves it."""
    item = ItemData(
        external_id=external_id.strip(),
        certification=certification.code,
        purpose=purpose,
        topic=topic.code,
        stem=stem,
        options=options,
        answer=answer,
        rationale=rationale,
        reference=reference,
        difficulty=difficulty,
    )
    problems = item_validate(item, topics_by_cert={certification.code: {topic.code: topic}})
    if topic.certification_id != certification.pk:
        problems.append(
            gettext("topic %(topic)s is not a topic of %(certification)s")
            % {"topic": topic.code, "certification": certification.code}
        )
    if Question.objects.filter(external_id=item.external_id).exists():
        problems.append(gettext("the id %(id)s is taken (ids are never reused)") % {"id": item.external_id})
    if problems:
        raise errors.BankError("; ".join(problems))
    with transaction.atomic():
        question = Question.objects.create(
            external_id=item.external_id,
            certification=certification,
            topic=topic,
            purpose=purpose,
            difficulty=difficulty,
            status=Question.Status.DRAFT,
            author=actor,
        )
        version = _version_create(question, item, actor)
        Question.objects.filter(pk=question.pk).update(current_version=version)
        audit_record(action="question.created", target=question, actor=actor)
    question.refresh_from_db()
    return question


def question_submit_for_review(*, question, actor):
    done = Question.objects.filter(pk=question.pk, status=Question.Status.DRAFT).update(
        status=Question.Status.IN_REVIEW
    )
    if not done:
        raise errors.InvalidTransition(gettext("Only a draft can be sent for review."))
    audit_record(action="question.in_review", target=question, actor=actor)


def question_approve(*, question, actor):
    """Four eyes: the author cannot approve their own question."""
    if question.author_id and question.author_id == actor.pk:
        raise errors.InvalidTransition(
            gettext("A second examiner must approve this question; authors cannot approve their own.")
        )
    if question.current_version_id is None:
        raise errors.InvalidTransition(gettext("The question has no wording yet."))
    with transaction.atomic():
        done = Question.objects.filter(pk=question.pk, status=Question.Status.IN_REVIEW).update(
            status=Question.Status.APPROVED, approved_by=actor, approved_at=timezone.now()
        )
        if not done:
            raise errors.InvalidTransition(gettext("Only a question in review can be approved."))
        audit_record(action="question.approved", target=question, actor=actor)
    question.refresh_from_db()
    return question


def question_retire(*, question, actor, reason=""):
    """Retire a question. Refused when it would leave a topic of the blueprint unable to fill
    its quota, so an unfillable blueprint is never discovered by a candidate pressing Start."""
    with transaction.atomic():
        before = _approved_exam_counts_by_topic([question.certification_id])
        done = (
            Question.objects.filter(pk=question.pk)
            .exclude(status=Question.Status.RETIRED)
            .update(status=Question.Status.RETIRED)
        )
        if not done:
            raise errors.InvalidTransition(gettext("The question is already retired."))
        _blueprints_keep(before, what=gettext("Retiring %(id)s") % {"id": question.external_id})
        audit_record(action="question.retired", target=question, actor=actor, reason=reason)


def question_revise(*, question, actor, stem, options, answer, rationale, reference):
    """Publish a new wording. Attempts that drew the old version keep it.
    A revised approved question goes back to review (four eyes again)."""
    item = ItemData(
        external_id=question.external_id,
        certification=question.certification.code,
        purpose=question.purpose,
        topic=question.topic.code,
        stem=stem,
        options=options,
        answer=answer,
        rationale=rationale,
        reference=reference,
        difficulty=question.difficulty,
    )
    topics = {question.certification.code: {question.topic.code: question.topic}}
    problems = item_validate(item, topics_by_cert=topics)
    if problems:
        raise errors.BankError("; ".join(problems))
    with transaction.atomic():
        before = _approved_exam_counts_by_topic([question.certification_id])
        version = _version_create(question, item, actor)
        Question.objects.filter(pk=question.pk).update(
            current_version=version,
            author=actor,
            approved_by=None,
            approved_at=None,
            status=Question.Status.IN_REVIEW
            if question.status == Question.Status.APPROVED
            else question.status,
        )
        _translations_follow(question)
        _blueprints_keep(
            before, what=gettext("Revising %(id)s (it goes back to review)") % {"id": question.external_id}
        )
        audit_record(
            action="question.revised", target=question, actor=actor, data={"version": version.number}
        )
    question.refresh_from_db()
    return question


def blueprint_validate(certification, *, times=1):
    """Raise BlueprintUnfillable naming each topic the approved exam bank cannot fill `times` over."""
    counts = approved_exam_counts(certification)
    total = sum(t.quota for t in certification.topics.all())
    problems = []
    if certification.is_exam and total != certification.question_count:
        problems.append(
            gettext("the quotas sum to %(total)d, the exam has %(count)d questions")
            % {"total": total, "count": certification.question_count}
        )
    for topic in certification.topics.all():
        have = counts.get(topic.id, 0)
        if have < topic.quota * times:
            problems.append(
                gettext("topic %(topic)s needs %(need)d approved exam questions and has %(have)d")
                % {"topic": topic.code, "need": topic.quota * times, "have": have}
            )
    if problems:
        raise errors.BlueprintUnfillable(f"{certification.code}: " + "; ".join(problems) + ".")
