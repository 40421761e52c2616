"""Language versions of questions (item families): a translation is a version of the same
Question in another language, with its own status and its own second-examiner review.

Options correspond by label across languages: option A in German means option A in English,
so the key is the English key's label in every language; a translation whose key differs is
refused. A new English wording sends the translations back to draft (they must follow it)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import audit_record

from .. import errors
from ..models import Question, QuestionOption, QuestionTranslation, QuestionVersion
from .bank import LABELS, ItemData, item_validate

SOURCE_LANGUAGE = "en"


def translation_languages():
    """The languages a question can be translated into (the site's, English aside)."""
    return [code for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def english_key(question):
    """The label of the key of the question's current English version."""
    version = question.current_version
    if version is None:
        raise errors.BankError(
            gettext("%(id)s has no English wording to translate.") % {"id": question.external_id}
        )
    return next((o.label for o in version.options.all() if o.is_correct), "")


def _problems(question, item, key):
    problems = []
    if item.language not in translation_languages():
        problems.append(
            gettext("%(language)r is not a language a question can be translated into")
            % {"language": item.language}
        )
    if item.answer and item.answer != key:
        problems.append(
            gettext(
                "the key is %(given)s here and %(key)s in English; options keep their letters in every "
                "language, so the key is the same letter"
            )
            % {"given": item.answer, "key": key}
        )
    item.answer = key
    topics = {question.certification.code: {question.topic.code: question.topic}}
    problems.extend(item_validate(item, topics_by_cert=topics))
    if item.status and item.status not in QuestionTranslation.Status.values:
        problems.append(
            gettext("status must be draft, translated or reviewed, not %(status)r") % {"status": item.status}
        )
    return problems


def _matches(version, item):
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
        language=item.language,
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


def _save(question, item, actor, now):
    """Create or update one language version; returns 'created', 'updated' or 'unchanged'."""
    translation = (
        QuestionTranslation.objects.select_for_update()
        .filter(question=question, language=item.language)
        .select_related("current_version")
        .first()
    )
    status = item.status or QuestionTranslation.Status.DRAFT
    reviewed = status == QuestionTranslation.Status.REVIEWED
    if translation is None:
        version = _version_create(question, item, actor)
        QuestionTranslation.objects.create(
            question=question,
            language=item.language,
            current_version=version,
            status=status,
            author=actor,
            reviewed_at=now if reviewed else None,
        )
        return "created"
    if _matches(translation.current_version, item):
        if translation.status == status:
            return "unchanged"
        # Only the status changed (in a bank file): a review recorded there keeps no reviewer.
        QuestionTranslation.objects.filter(pk=translation.pk).update(
            status=status,
            reviewed_by=translation.reviewed_by if reviewed else None,
            reviewed_at=(translation.reviewed_at or now) if reviewed else None,
        )
        return "updated"
    version = _version_create(question, item, actor)
    QuestionTranslation.objects.filter(pk=translation.pk).update(
        current_version=version,
        status=status,
        author=actor,
        reviewed_by=None,
        reviewed_at=now if reviewed else None,
    )
    return "updated"


def translations_import(items, *, actor=None):
    """Import language versions (ItemData with a language other than English) all-or-nothing:
    each becomes the current version of its Question in that language (a changed wording a
    new version), with the status given. Returns counts."""
    questions = {
        q.external_id: q
        for q in Question.objects.filter(external_id__in=[i.external_id for i in items])
        .select_related("certification", "topic", "current_version")
        .prefetch_related("current_version__options")
    }
    problems, seen = [], set()
    for item in items:
        question = questions.get(item.external_id)
        if question is None:
            problems.append(
                f"{item.position} ({item.external_id}): "
                + gettext("no question has this id; load the English item first")
            )
            continue
        try:
            key = english_key(question)
        except errors.BankError as exc:
            problems.append(f"{item.position}: {exc.detail}")
            continue
        found = _problems(question, item, key)
        if (item.external_id, item.language) in seen:
            found.append(gettext("translated twice into %(language)s") % {"language": item.language})
        seen.add((item.external_id, item.language))
        if found:
            problems.append(f"{item.position} ({item.external_id}): " + "; ".join(found))
    if problems:
        raise errors.BankError(gettext("Nothing was imported.") + " " + " | ".join(problems))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    now = timezone.now()
    with transaction.atomic():
        for item in items:
            counts[_save(questions[item.external_id], item, actor, now)] += 1
    return counts


def translation_save(
    *, question, language, stem, options, rationale, reference, actor, answer=None, status="translated"
):
    """A language version written in the CMS by `actor` (its author): refused when its key is
    not the English key's label. Another examiner reviews it (translation_review)."""
    item = ItemData(
        external_id=question.external_id,
        certification=question.certification.code,
        purpose=question.purpose,
        topic=question.topic.code,
        stem=stem,
        options=options,
        answer=answer or "",
        rationale=rationale,
        reference=reference,
        difficulty=question.difficulty,
        language=language,
        status=QuestionTranslation.Status.REVIEWED if status == "reviewed" else status,
    )
    if item.status == QuestionTranslation.Status.REVIEWED:
        raise errors.InvalidTransition(gettext("A second examiner marks a language version reviewed."))
    translations_import([item], actor=actor)
    translation = QuestionTranslation.objects.get(question=question, language=language)
    audit_record(
        action="question.translated",
        target=question,
        actor=actor,
        data={"language": language, "version": translation.current_version.number},
    )
    return translation


def translation_review(*, translation, actor, now=None):
    """A second examiner marks a translated language version reviewed. The version's author
    cannot (four eyes per language, enforced in the database too)."""
    now = now or timezone.now()
    if translation.author_id and translation.author_id == actor.pk:
        raise errors.InvalidTransition(
            gettext("A second examiner must review this language version; its author cannot.")
        )
    with transaction.atomic():
        done = (
            QuestionTranslation.objects.filter(
                pk=translation.pk,
                status=QuestionTranslation.Status.TRANSLATED,
                current_version_id=translation.current_version_id,
            )
            .exclude(author=actor)
            .update(status=QuestionTranslation.Status.REVIEWED, reviewed_by=actor, reviewed_at=now)
        )
        if not done:
            raise errors.InvalidTransition(
                gettext("Only a translated language version, unchanged since you opened it, can be reviewed.")
            )
        audit_record(
            action="question.translation_reviewed",
            target=translation.question,
            actor=actor,
            data={"language": translation.language, "version": translation.current_version.number},
        )
    translation.refresh_from_db()
    return translation


def translations_follow_english(*, question):
    """The English wording changed: every language version goes back to draft."""
    return QuestionTranslation.objects.filter(question=question).update(
        status=QuestionTranslation.Status.DRAFT, reviewed_by=None, reviewed_at=None
    )


def bank_items_import(items, *, actor=None, status=Question.Status.IN_REVIEW):
    """Import parsed bank items of any language: English items as questions (bank.items_import,
    `status` for new ones), the others as language versions of existing questions (their own
    status, "translated" when the file gives none). A file holds one language."""
    from .bank import items_import

    languages = {item.language or SOURCE_LANGUAGE for item in items}
    if len(languages) > 1:
        raise errors.BankError(
            gettext("Nothing was imported. A file holds one language; this one mixes %(languages)s.")
            % {"languages": ", ".join(sorted(languages))}
        )
    if languages <= {SOURCE_LANGUAGE}:
        return items_import(items, actor=actor, status=status)
    for item in items:
        item.status = item.status or QuestionTranslation.Status.TRANSLATED
    return translations_import(items, actor=actor)
