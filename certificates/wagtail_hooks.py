"""Examiners revoke, reinstate, suspend and unsuspend certificates in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_examiner

from . import admin_views
from . import organisation_admin_views as org_admin


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [
        path("certificates/", admin_views.certificate_list, name="certificates_admin_list"),
        path("certificates/<int:pk>/", admin_views.certificate_detail, name="certificates_admin_detail"),
        path(
            "certificates/<int:pk>/revoke/",
            admin_views.certificate_revoke_view,
            name="certificates_admin_revoke",
        ),
        path(
            "certificates/<int:pk>/reinstate/",
            admin_views.certificate_reinstate_view,
            name="certificates_admin_reinstate",
        ),
        path(
            "certificates/<int:pk>/suspend/",
            admin_views.certificate_suspend_view,
            name="certificates_admin_suspend",
        ),
        path(
            "certificates/<int:pk>/unsuspend/",
            admin_views.certificate_unsuspend_view,
            name="certificates_admin_unsuspend",
        ),
        # Organisations' certificates (FitSM Essentials, FitSM Plus).
        path(
            "certificates/organisations/",
            org_admin.organisation_certificate_list,
            name="certificates_org_admin_list",
        ),
        path(
            "certificates/organisations/<int:pk>/",
            org_admin.organisation_certificate_detail,
            name="certificates_org_admin_detail",
        ),
        *[
            path(
                f"certificates/organisations/<int:pk>/{kind}/",
                getattr(org_admin, f"organisation_certificate_{kind}_view"),
                name=f"certificates_org_admin_{kind}",
            )
            for kind in ("revoke", "reinstate", "suspend", "unsuspend")
        ],
    ]


class ExaminerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_examiner(request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return ExaminerMenuItem(
        _("Certificates"), reverse("certificates_admin_list"), icon_name="doc-full", order=312
    )


@hooks.register("register_admin_menu_item")
def register_organisation_certificates_menu_item():
    return ExaminerMenuItem(
        _("Organisations' certificates"),
        reverse("certificates_org_admin_list"),
        icon_name="doc-full",
        order=313,
    )


@hooks.register("construct_homepage_panels")
def add_certificate_decisions_panel(request, panels):
    from .admin_panels import certificate_panels

    certificate_panels(request, panels)
