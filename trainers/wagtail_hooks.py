"""Examiners manage organisations, trainer profiles and accreditations in the
Wagtail admin. Accreditation statuses change only through the decide screen
(which calls the services); the accreditation listing itself is read-only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.roles import is_examiner
from accounts.wagtail_admin import (
    ExaminerOnlyPolicy,
    NoDeletePolicy,
    ReadOnlyPolicy,
    ServiceCreateView,
    ServiceEditView,
)

from . import admin_views, errors, services
from .models import Accreditation, Organisation, TrainerProfile

ORGANISATION_FIELDS = [
    "name",
    "slug",
    "kind",
    "sponsor",
    "country",
    "website",
    "contact_name",
    "contact_email",
    "description",
]


def _organisation_create(view, form):
    d = dict(form.cleaned_data)
    return services.organisation_create(actor=view.request.user, **d)


def _organisation_update(view, form):
    return services.organisation_update(
        organisation=Organisation.objects.get(pk=view.object.pk), actor=view.request.user, **form.cleaned_data
    )


class OrganisationCreateView(ServiceCreateView):
    save_service = _organisation_create
    domain_errors = (errors.TrainersError,)


class OrganisationEditView(ServiceEditView):
    save_service = _organisation_update
    domain_errors = (errors.TrainersError,)


register_permission_policy(Organisation, NoDeletePolicy(Organisation))
register_permission_policy(TrainerProfile, ExaminerOnlyPolicy(TrainerProfile))
register_permission_policy(Accreditation, ReadOnlyPolicy(Accreditation))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    name = "trainers_organisations"
    url_prefix = "training/organisations"
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "sponsor", "country", "contact_email"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    form_fields = ORGANISATION_FIELDS
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    copy_view_enabled = False


class TrainerProfileViewSet(SnippetViewSet):
    model = TrainerProfile
    icon = "user"
    menu_label = _("Trainers")
    list_display = ["display_name", "slug", "languages", "user"]
    search_fields = ["display_name", "slug"]


class AccreditationIndexView(IndexView):
    def get_base_queryset(self):
        # Each row names its party (organisation or trainer), certification and decider.
        return (
            super()
            .get_base_queryset()
            .select_related("organisation", "trainer", "certification", "decided_by")
        )


class AccreditationViewSet(ModelViewSet):
    model = Accreditation
    index_view_class = AccreditationIndexView
    name = "trainers_accreditations"
    url_prefix = "training/accreditations/list"
    icon = "success"
    menu_label = _("Accreditations")
    list_display = [
        TitleColumn("__str__", label=_("Accreditation"), url_name="trainers_accreditation_decide"),
        "certification",
        "status",
        "valid_from",
        "valid_until",
        "decided_by",
    ]
    list_filter = ["status", "certification"]
    form_fields = ["decision_notes"]


class TrainingGroup(ViewSetGroup):
    menu_label = _("Training")
    menu_icon = "group"
    menu_order = 320
    items = (OrganisationViewSet, TrainerProfileViewSet, AccreditationViewSet)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingGroup()


@hooks.register("register_admin_urls")
def register_training_admin_urls():
    return [
        path(
            "training/accreditations/apply/",
            admin_views.accreditation_apply,
            name="trainers_accreditation_apply",
        ),
        path(
            "training/accreditations/<int:pk>/decide/",
            admin_views.accreditation_decide,
            name="trainers_accreditation_decide",
        ),
        path("training/vouchers/", admin_views.vouchers_allocate, name="trainers_vouchers_allocate"),
        path(
            "training/vouchers/requests/<int:pk>/decline/",
            admin_views.voucher_request_decline,
            name="trainers_voucher_request_decline",
        ),
        path("training/statistics/", admin_views.programme_statistics, name="trainers_programme_statistics"),
    ]


class ExaminerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_examiner(request.user)


@hooks.register("register_admin_menu_item")
def register_accreditation_apply_menu_item():
    return ExaminerMenuItem(
        _("New accreditation application"),
        reverse("trainers_accreditation_apply"),
        icon_name="plus",
        order=321,
    )


@hooks.register("register_admin_menu_item")
def register_vouchers_allocate_menu_item():
    return ExaminerMenuItem(
        _("Allocate vouchers"), reverse("trainers_vouchers_allocate"), icon_name="tag", order=322
    )


@hooks.register("register_admin_menu_item")
def register_programme_statistics_menu_item():
    return ExaminerMenuItem(
        _("Programme statistics"), reverse("trainers_programme_statistics"), icon_name="table", order=323
    )


@hooks.register("construct_homepage_panels")
def add_accreditation_applications_panel(request, panels):
    from .admin_panels import training_panels

    training_panels(request, panels)
