"""Examiner screens in the Wagtail admin: question review and revision,
blueprint coverage, item statistics. Thin: rules are in exams.services."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from accounts.roles import is_examiner

from . import errors, selectors
from .models import Certification, FormStatistic, ItemStatistic, Question
from .services import bank
from .tasks import item_statistics_recompute


def _examiner(request):
    if not is_examiner(request.user):
        raise PermissionDenied


class ReviseForm(forms.Form):
    stem = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    option_a = forms.CharField(label="Option A")
    option_b = forms.CharField(label="Option B")
    option_c = forms.CharField(label="Option C")
    option_d = forms.CharField(label="Option D")
    answer = forms.ChoiceField(choices=[(k, k) for k in "ABCD"], widget=forms.RadioSelect)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    reference = forms.CharField(max_length=200)


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
                messages.success(request, "A new version was published and sent for review.")
            elif action == "submit":
                bank.question_submit_for_review(question=question, actor=request.user)
                messages.success(request, "Sent for review.")
            elif action == "approve":
                bank.question_approve(question=question, actor=request.user)
                messages.success(request, "Approved.")
            elif action == "retire":
                bank.question_retire(
                    question=question, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, "Retired.")
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
    stats = list(
        ItemStatistic.objects.select_related("question__topic", "question__certification").order_by(
            "question__certification__position", "question__external_id"
        )
    )
    chart = selectors.facility_chart(stats)
    return TemplateResponse(
        request,
        "exams/admin/statistics.html",
        {
            "stats": stats,
            "forms": FormStatistic.objects.select_related("certification", "sitting"),
            "chart": chart,
        },
    )


@require_POST
def statistics_recompute(request):
    _examiner(request)
    item_statistics_recompute.delay()
    messages.success(request, "Item statistics are being recomputed.")
    return redirect("exams_statistics")
