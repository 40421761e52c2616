"""Examiners manage the scheme, the question bank, sittings and vouchers in the Wagtail admin."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.wagtail_admin import (
    AddOnlyPolicy,
    NoDeletePolicy,
    ReadOnlyPolicy,
    ServiceCreateView,
    ServiceEditView,
)

from . import admin_panels, admin_translation_views, admin_views, errors, services
from .models import Certification, ItemStatistic, Question, Sitting, Topic, Voucher
from .services import scheme

CERTIFICATION_VALUES = [f for f in scheme.EDITABLE]


def _certification_create(view, form):
    d = form.cleaned_data
    return scheme.certification_create(
        code=d["code"],
        actor=view.request.user,
        prerequisites=d["prerequisites"],
        **{f: d[f] for f in CERTIFICATION_VALUES},
    )


def _certification_update(view, form):
    d = form.cleaned_data
    return scheme.certification_update(
        certification=Certification.objects.get(pk=view.object.pk),
        actor=view.request.user,
        prerequisites=d["prerequisites"],
        **{f: d[f] for f in CERTIFICATION_VALUES},
    )


class CertificationCreateView(ServiceCreateView):
    save_service = _certification_create
    domain_errors = (errors.ExamError,)


class CertificationEditView(ServiceEditView):
    save_service = _certification_update
    domain_errors = (errors.ExamError,)

    def get_form_class(self):
        base = super().get_form_class()

        class CodeFixedForm(base):
            """The code is printed on certificates and names the banks: it never changes."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["code"].disabled = True

        return CodeFixedForm


class CertificationViewSet(ModelViewSet):
    """Edits go through exams.services.scheme: validated against the blueprint and audited."""

    model = Certification
    icon = "success"
    add_view_class = CertificationCreateView
    edit_view_class = CertificationEditView
    copy_view_enabled = False
    list_display = ["code", "name", "earned_by", "question_count", "duration_minutes", "pass_mark"]
    form_fields = [
        "code",
        "name",
        "earned_by",
        "prerequisites",
        "question_count",
        "duration_minutes",
        "pass_mark",
        "options_per_question",
        "closed_book",
        "position",
    ]
    add_to_admin_menu = False


class QuestionIndexView(IndexView):
    def get_base_queryset(self):
        # The topic column prints "<certification>/<topic>": fetch the topic's certification too.
        return (
            super()
            .get_base_queryset()
            .select_related("certification", "topic__certification", "current_version")
        )


class SittingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("certification")


class QuestionFilterSet(WagtailFilterSet):
    # The topic filter's labels print "<certification>/<topic>": one query, not one per topic.
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.select_related("certification").order_by("certification__code", "code")
    )

    class Meta:
        model = Question
        fields = ["certification", "topic", "purpose", "status", "difficulty"]


class QuestionViewSet(ModelViewSet):
    """The list finds questions; each opens the question screen (text, options, key, rationale,
    history, approve / revise / retire). Writing and changing questions goes through
    exams.services.bank there, never through a generic model form."""

    model = Question
    icon = "help"
    copy_view_enabled = False
    list_display = [
        TitleColumn(
            "external_id",
            label=_("Question"),
            get_url=lambda q: reverse("exams_question_review", args=[q.pk]),
        ),
        "stem_preview",
        "certification",
        "topic",
        "purpose",
        "status",
        "difficulty",
        "exposure_count",
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["external_id", "current_version__stem"]
    form_fields = ["external_id", "certification", "topic", "purpose", "difficulty"]

    index_view_class = QuestionIndexView

    @property
    def add_view(self):
        return admin_views.question_new

    @property
    def edit_view(self):
        return admin_views.question_to_review

    @property
    def delete_view(self):
        return admin_views.question_to_review

    list_export = [
        "external_id",
        "certification",
        "topic",
        "purpose",
        "status",
        "difficulty",
        "exposure_count",
    ]


SITTING_FIELDS = [
    "title",
    "opens_at",
    "closes_at",
    "duration_minutes",
    "access_code",
    "organisation_name",
    "trainer_name",
]


def _sitting_create(view, form):
    d = form.cleaned_data
    return services.sitting_create(
        certification=d["certification"],
        kind=d["kind"],
        created_by=view.request.user,
        invigilators=d["invigilators"],
        **{f: d[f] for f in SITTING_FIELDS if f != "access_code"},
        access_code=d["access_code"] or None,
    )


def _sitting_update(view, form):
    d = form.cleaned_data
    return services.sitting_update(
        sitting=Sitting.objects.get(pk=view.object.pk),
        actor=view.request.user,
        invigilators=d["invigilators"],
        **{f: d[f] for f in SITTING_FIELDS},
    )


def _voucher_create(view, form):
    d = form.cleaned_data
    [voucher] = services.voucher_create(
        certification=d["certification"],
        valid_until=d["valid_until"],
        issued_to=d["issued_to"],
        created_by=view.request.user,
    )
    return voucher


class SittingCreateView(ServiceCreateView):
    save_service = _sitting_create
    domain_errors = (errors.ExamError,)


class SittingEditView(ServiceEditView):
    save_service = _sitting_update
    domain_errors = (errors.ExamError,)

    def get_form_class(self):
        base = super().get_form_class()

        class FixedForm(base):
            """Certification and kind are fixed once a sitting exists."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in ("certification", "kind"):
                    self.fields[name].disabled = True

        return FixedForm


class VoucherCreateView(ServiceCreateView):
    save_service = _voucher_create
    domain_errors = (errors.ExamError,)


register_permission_policy(Certification, NoDeletePolicy(Certification))
register_permission_policy(Question, NoDeletePolicy(Question))
register_permission_policy(Sitting, NoDeletePolicy(Sitting))
register_permission_policy(Voucher, AddOnlyPolicy(Voucher))
register_permission_policy(ItemStatistic, ReadOnlyPolicy(ItemStatistic))


class SittingViewSet(ModelViewSet):
    """Sittings are created and edited (while still drafts) through exams.services; opening,
    closing and invigilation happen on the invigilation screen. Never deleted."""

    model = Sitting
    icon = "date"
    index_view_class = SittingIndexView
    add_view_class = SittingCreateView
    edit_view_class = SittingEditView
    copy_view_enabled = False
    list_display = ["__str__", "certification", "kind", "state", "opens_at", "closes_at"]
    list_filter = ["certification", "kind", "state"]
    form_fields = [
        "certification",
        "kind",
        "title",
        "opens_at",
        "closes_at",
        "duration_minutes",
        "access_code",
        "invigilators",
        "organisation_name",
        "trainer_name",
    ]


class VoucherViewSet(ModelViewSet):
    """Vouchers are created through exams.services.voucher_create (a code, audited) and never
    edited: a redeemed voucher is history, an unused one expires."""

    model = Voucher
    icon = "tag"
    add_view_class = VoucherCreateView
    copy_view_enabled = False
    list_display = ["code", "certification", "issued_to", "valid_until", "redeemed_by", "redeemed_at"]
    list_filter = ["certification"]
    search_fields = ["code", "issued_to"]
    form_fields = ["certification", "valid_until", "issued_to"]


class ItemStatisticViewSet(ModelViewSet):
    """Computed by exams.services.statistics: read-only here."""

    model = ItemStatistic
    icon = "table"
    list_display = ["question", "exposures", "facility", "discrimination", "flagged", "flag_reasons"]
    list_filter = ["flagged"]
    form_fields = []
    inspect_view_enabled = True


class ExamsGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "tasks"
    items = (CertificationViewSet, QuestionViewSet, SittingViewSet, VoucherViewSet, ItemStatisticViewSet)


@hooks.register("register_admin_viewset")
def register_exams_viewsets():
    return ExamsGroup()


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [
        path("exams/questions/<int:pk>/review/", admin_views.question_review, name="exams_question_review"),
        path(
            "exams/questions/<int:pk>/translations/<str:language>/",
            admin_translation_views.question_translation,
            name="exams_question_translation",
        ),
        path("exams/blueprints/", admin_views.blueprints, name="exams_blueprints"),
        path("exams/statistics/", admin_views.statistics, name="exams_statistics"),
        path(
            "exams/statistics/recompute/", admin_views.statistics_recompute, name="exams_statistics_recompute"
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_exam_work_panel(request, panels):
    admin_panels.exam_panels(request, panels)


@hooks.register("register_admin_menu_item")
def register_blueprints_menu_item():
    return MenuItem(_("Blueprints"), reverse("exams_blueprints"), icon_name="list-ul", order=310)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return MenuItem(_("Item statistics"), reverse("exams_statistics"), icon_name="table", order=311)
