"""Wagtail admin screens that save through the apps' services.

A generic ModelViewSet writes the model directly (`form.save()`): no business rule, no audit
entry. The views below keep Wagtail's forms and pages but hand the cleaned data to a service
function; a domain error the service raises is shown on the form and nothing is saved."""

from django.db import transaction
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.permission_policies.base import ModelPermissionPolicy

from .roles import is_examiner


class ServiceSaveMixin:
    """`save_service(view, form)` returns the saved object; `domain_errors` are shown on the form."""

    save_service = None
    domain_errors = ()

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = type(self).save_service(self, form)
        except self.domain_errors as exc:
            detail = getattr(exc, "detail", str(exc))
            form.add_error(None, detail)
            self.produced_error_code = "validation_error"
            self.produced_error_message = detail
            return self.form_invalid(form)
        response = self.save_action()
        hook_response = self.run_after_hook()
        return hook_response if hook_response is not None else response


class ServiceCreateView(ServiceSaveMixin, CreateView):
    pass


class ServiceEditView(ServiceSaveMixin, EditView):
    pass


def changed_fields(form):
    """The names of the fields whose value the form changes (for the audit entry)."""
    return sorted(form.changed_data)


class ExaminerOnlyPolicy(ModelPermissionPolicy):
    """Examiners (and superusers) only, for the actions their Django permissions allow."""

    def user_has_permission(self, user, action):
        return is_examiner(user) and super().user_has_permission(user, action)


class ReadOnlyPolicy(ExaminerOnlyPolicy):
    """View only: the rows change through services (or are computed), never through a model form."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class AddOnlyPolicy(ExaminerOnlyPolicy):
    """Created through a service-backed form; never edited or deleted afterwards."""

    def user_has_permission(self, user, action):
        return action in ("view", "add") and super().user_has_permission(user, action)


class NoDeletePolicy(ExaminerOnlyPolicy):
    """Created and edited through service-backed forms; rows others depend on are never deleted."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)
