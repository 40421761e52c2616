"""The examiner's screen to write or correct a question's version in another language, beside
its English version. Thin: the rules (same key letter, a new version for a new wording, status
translated, another examiner reviews) are in exams.services.translations."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from . import errors, selectors
from .admin_views import WordingForm, _examiner
from .models import Question, QuestionTranslation
from .services import translations


def _initial(version):
    if version is None:
        return {}
    options = {o.label: o.text for o in version.options.all()}
    return {
        "stem": version.stem,
        "rationale": version.rationale,
        "reference": version.reference,
        **{f"option_{label.lower()}": text for label, text in options.items()},
    }


def question_translation(request, pk, language):
    _examiner(request)
    if language not in translations.translation_languages():
        raise Http404
    question = get_object_or_404(
        Question.objects.select_related("current_version", "topic", "certification"), pk=pk
    )
    if question.current_version_id is None:
        raise Http404
    existing = (
        QuestionTranslation.objects.filter(question=question, language=language)
        .select_related("current_version", "author", "reviewed_by")
        .first()
    )
    form = WordingForm(request.POST or None, initial=_initial(existing.current_version if existing else None))
    name = selectors.language_names().get(language, language)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            translations.translation_save(
                question=question,
                language=language,
                stem=d["stem"],
                options={label: d[f"option_{label.lower()}"] for label in "ABCD"},
                rationale=d["rationale"],
                reference=d["reference"],
                actor=request.user,
            )
        except errors.ExamError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                gettext("The %(language)s version was saved; another examiner reviews it.")
                % {"language": name},
            )
            return redirect("exams_question_review", pk=question.pk)
    english = question.current_version
    return TemplateResponse(
        request,
        "exams/admin/question_translation.html",
        {
            "question": question,
            "english": english,
            "english_options": sorted(english.options.all(), key=lambda o: o.label),
            "translation": existing,
            "language": language,
            "language_name": name,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
