"""Examiner screens in the Wagtail admin: question review and revision,
blueprint coverage, item statistics. Thin: rules are in exams.services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.background import enqueue
from accounts.roles import is_examiner

from . import errors, selectors
from .models import Certification, FormStatistic, ItemStatistic, Question, QuestionTranslation
from .services import bank, translations
from .services.statistics import (
    DISTRACTOR_MIN_EXPOSURES,
    FEW_CANDIDATES,
    HIGH_FACILITY,
    LOW_DISCRIMINATION,
    LOW_FACILITY,
)
from .tasks import item_statistics_recompute


def _examiner(request):
    if not is_examiner(request.user):
        raise PermissionDenied


class WordingForm(forms.Form):
    """A question's wording in one language: what a translation holds (its key is the English one)."""

    stem = forms.CharField(label=_("Stem"), widget=forms.Textarea(attrs={"rows": 4}))
    option_a = forms.CharField(label=_("Option A"))
    option_b = forms.CharField(label=_("Option B"))
    option_c = forms.CharField(label=_("Option C"))
    option_d = forms.CharField(label=_("Option D"))
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    reference = forms.CharField(label=_("Reference"), max_length=200)


class ReviseForm(WordingForm):
    answer = forms.ChoiceField(label=_("Answer"), choices=[(k, k) for k in "ABCD"], widget=forms.RadioSelect)
    field_order = ["stem", "option_a", "option_b", "option_c", "option_d", "answer", "rationale", "reference"]


class QuestionNewForm(ReviseForm):
    external_id = forms.CharField(
        label=_("Id"), max_length=40, help_text=_("e.g. SOC-ISRM-020; never reused.")
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=None, help_text=_("The certification follows from the topic.")
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("exam", _("Exam")), ("practice", _("Practice"))]
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        coerce=int,
        choices=[(1, _("1 recall")), (2, _("2 understanding")), (3, _("3 application"))],
        initial=2,
    )
    field_order = ["external_id", "topic", "purpose", "difficulty", *ReviseForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Topic

        self.fields["topic"].queryset = Topic.objects.select_related("certification").order_by(
            "certification__position", "position"
        )
        self.fields["topic"].label_from_instance = lambda t: f"{t.certification.code} · {t.code} · {t.name}"


def question_new(request):
    """Write a new question: it starts as a draft authored by the examiner who wrote it."""
    _examiner(request)
    form = QuestionNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            question = bank.question_create(
                actor=request.user,
                certification=d["topic"].certification,
                topic=d["topic"],
                purpose=d["purpose"],
                external_id=d["external_id"],
                difficulty=d["difficulty"],
                stem=d["stem"],
                options={k: d[f"option_{k.lower()}"] for k in "ABCD"},
                answer=d["answer"],
                rationale=d["rationale"],
                reference=d["reference"],
            )
        except errors.ExamError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                gettext("%(id)s was saved as a draft. Send it for review when it is ready.")
                % {"id": question.external_id},
            )
            return redirect("exams_question_review", pk=question.pk)
    return TemplateResponse(
        request, "exams/admin/question_new.html", {"form": form}, status=400 if form.errors else 200
    )


def question_to_review(request, pk):
    """The question list's edit and delete links open the full question screen."""
    _examiner(request)
    get_object_or_404(Question, pk=pk)
    return redirect("exams_question_review", pk=pk)


def _preview_options(version):
    """The options in one shuffled order under the letters a candidate would see."""
    if version is None:
        return []
    import random

    from .presentation import KEYS

    options = list(version.options.all())
    random.Random(version.pk).shuffle(options)
    return [{"key": KEYS[i], "text": o.text} for i, o in enumerate(options)]


def question_review(request, pk):
    _examiner(request)
    question = get_object_or_404(
        Question.objects.select_related("current_version", "topic", "certification"), pk=pk
    )
    version = question.current_version
    initial = {}
    if version:
        opts = {o.label: o for o in version.options.all()}
        initial = {
            "stem": version.stem,
            "rationale": version.rationale,
            "reference": version.reference,
            "answer": next((k for k, o in opts.items() if o.is_correct), None),
            **{f"option_{k.lower()}": opts[k].text for k in opts},
        }
    form = ReviseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revise" and form.is_valid():
                d = form.cleaned_data
                bank.question_revise(
                    question=question,
                    actor=request.user,
                    stem=d["stem"],
                    answer=d["answer"],
                    rationale=d["rationale"],
                    reference=d["reference"],
                    options={k: d[f"option_{k.lower()}"] for k in "ABCD"},
                )
                messages.success(request, gettext("A new version was published and sent for review."))
            elif action == "submit":
                bank.question_submit_for_review(question=question, actor=request.user)
                messages.success(request, gettext("Sent for review."))
            elif action == "approve":
                bank.question_approve(question=question, actor=request.user)
                messages.success(request, gettext("Approved."))
            elif action == "review_translation":
                translation = get_object_or_404(
                    QuestionTranslation, question=question, language=request.POST.get("language", "")
                )
                translations.translation_review(translation=translation, actor=request.user)
                messages.success(
                    request,
                    gettext("The %(language)s version was marked reviewed.")
                    % {"language": translation.get_language_display()},
                )
            elif action == "retire":
                bank.question_retire(
                    question=question, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, gettext("Retired."))
            if action != "revise" or form.is_valid():
                return redirect("exams_question_review", pk=question.pk)
        except errors.ExamError as exc:
            messages.error(request, exc.detail)
            return redirect("exams_question_review", pk=question.pk)
    return TemplateResponse(
        request,
        "exams/admin/question_review.html",
        {
            "question": question,
            "version": version,
            "versions": question.versions.order_by("-number"),
            "form": form,
            "statistic": ItemStatistic.objects.filter(question=question).first(),
            "preview_options": _preview_options(version),
            "language_versions": selectors.question_language_versions(question),
            "translation_languages": [
                (code, selectors.language_names().get(code, code))
                for code in translations.translation_languages()
            ],
        },
    )


def blueprints(request):
    _examiner(request)
    rows = []
    for cert in Certification.objects.filter(earned_by="exam").prefetch_related("topics"):
        counts = selectors.approved_exam_counts(cert)
        topics = [
            {
                "topic": t,
                "have": counts.get(t.id, 0),
                "times": (counts.get(t.id, 0) // t.quota) if t.quota else None,
            }
            for t in cert.topics.all()
        ]
        rows.append(
            {
                "certification": cert,
                "topics": topics,
                "quota_sum": sum(t.quota for t in cert.topics.all()),
                "shortfalls": selectors.blueprint_shortfalls(cert),
            }
        )
    return TemplateResponse(request, "exams/admin/blueprints.html", {"rows": rows})


def statistics(request):
    _examiner(request)
    stats = selectors.item_statistics_rows()
    forms = list(FormStatistic.objects.select_related("certification", "sitting"))
    return TemplateResponse(
        request,
        "exams/admin/statistics.html",
        {
            "stats": stats,
            "forms": forms,
            "summaries": [f for f in forms if f.sitting_id is None],
            "few_candidates": FEW_CANDIDATES,
            "chart": selectors.facility_chart(stats),
            "thresholds": {
                "low_facility": LOW_FACILITY,
                "high_facility": HIGH_FACILITY,
                "low_discrimination": LOW_DISCRIMINATION,
                "distractor_min": DISTRACTOR_MIN_EXPOSURES,
                "language_gap": settings.EXAM_LANGUAGE_FACILITY_GAP,
                "language_min": settings.EXAM_LANGUAGE_MIN_RESPONSES,
            },
        },
    )


@require_POST
def statistics_recompute(request):
    _examiner(request)
    enqueue(item_statistics_recompute)
    messages.success(request, gettext("Item statistics are being recomputed."))
    return redirect("exams_statistics")
