"""Examiners edit the certification levels (FitSM Essentials, Plus) in the CMS: through
assessments.services.certification_level_update (validated, audited with before and after); and
keep the auditor register through assessments.auditors (every change with a reason, in the
accreditation's history)."""

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.wagtail_admin import ExaminerOnlyPolicy, NoDeletePolicy, ServiceCreateView, ServiceEditView

from . import auditors, errors, services
from .models import AuditorAccreditation, CertificationLevel


class EditOnlyPolicy(ExaminerOnlyPolicy):
    """The levels come from content/assessment/levels.yaml: edited here, never added or deleted."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)


def _level_update(view, form):
    d = form.cleaned_data
    return services.certification_level_update(
        level=CertificationLevel.objects.get(pk=view.object.pk),
        actor=view.request.user,
        name=d["name"],
        summary=d["summary"],
        validity_years=d["validity_years"],
        criteria=d["criteria"],
    )


class CertificationLevelEditView(ServiceEditView):
    save_service = _level_update
    domain_errors = (errors.AssessmentError,)


class CertificationLevelViewSet(ModelViewSet):
    """The scheme's configured criteria per level; every change is an audit entry."""

    model = CertificationLevel
    icon = "success"
    menu_label = "Certification levels"
    edit_view_class = CertificationLevelEditView
    copy_view_enabled = False
    list_display = ["name", "code", "validity_years", "edited_at"]
    form_fields = ["name", "summary", "validity_years", "criteria"]
    add_to_admin_menu = True
    menu_order = 330


register_permission_policy(CertificationLevel, EditOnlyPolicy(CertificationLevel))


def _auditor_grant(view, form):
    d = form.cleaned_data
    if d["state"] != AuditorAccreditation.State.ACTIVE:
        raise errors.InvalidInput(_("A new accreditation starts active; change its state afterwards."))
    return auditors.auditor_accreditation_grant(
        user=d["user"],
        valid_from=d["valid_from"],
        valid_until=d["valid_until"],
        actor=view.request.user,
        reason=d["notes"],
    )


def _auditor_change(view, form):
    d = form.cleaned_data
    accreditation = AuditorAccreditation.objects.get(pk=view.object.pk)
    if d["user"].pk != accreditation.user_id:
        raise errors.InvalidInput(_("An accreditation stays with its person; add one for the other person."))
    return auditors.auditor_accreditation_change(
        accreditation=accreditation,
        actor=view.request.user,
        state=d["state"],
        valid_from=d["valid_from"],
        valid_until=d["valid_until"],
        reason=d["notes"],
    )


class AuditorCreateView(ServiceCreateView):
    save_service = _auditor_grant
    domain_errors = (errors.AssessmentError,)


class AuditorEditView(ServiceEditView):
    save_service = _auditor_change
    domain_errors = (errors.AssessmentError,)


class AuditorAccreditationViewSet(ModelViewSet):
    """The auditor register: accredit, suspend, withdraw, reinstate, renew (each with a reason)."""

    model = AuditorAccreditation
    icon = "user"
    menu_label = "Auditor register"
    add_view_class = AuditorCreateView
    edit_view_class = AuditorEditView
    copy_view_enabled = False
    list_display = ["user", "state", "valid_from", "valid_until", "changed_by", "changed_at"]
    list_filter = ["state"]
    form_fields = ["user", "state", "valid_from", "valid_until", "notes"]
    add_to_admin_menu = True
    menu_order = 331


register_permission_policy(AuditorAccreditation, NoDeletePolicy(AuditorAccreditation))


@hooks.register("register_admin_viewset")
def register_assessment_viewsets():
    return CertificationLevelViewSet("certification_levels")


@hooks.register("register_admin_viewset")
def register_auditor_viewset():
    return AuditorAccreditationViewSet("auditor_register")
