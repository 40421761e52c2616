"""Every admin screen that can save one of our models goes through the app's services (and so
its rules and audit), or cannot save at all. Found by walking the registered admin viewsets, so
a screen added later without a service fails here."""

import pytest
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from accounts.wagtail_admin import ServiceSaveMixin
from tests.factories import UserFactory

OUR_APPS = {"accounts", "exams", "certificates", "courses", "trainers", "content", "assessments"}
# Editorial content: text edited with Wagtail's own revisions and history, no business rule.
CONTENT_SNIPPETS = {"courses.glossaryterm", "trainers.trainerprofile"}


def _our_model_viewsets():
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # loading the admin URLs registers every viewset
    for vs in viewsets.viewsets:
        model = getattr(vs, "model", None)
        if isinstance(vs, ModelViewSet) and model is not None and model._meta.app_label in OUR_APPS:
            yield vs


def _is_service_backed(viewset, which):
    """The viewset's add or edit view saves through a service: a ServiceSaveMixin view class, or
    a function view of our own admin_views replacing Wagtail's generic one."""
    prop = type(viewset).__dict__.get(f"{which}_view") or next(
        (k.__dict__[f"{which}_view"] for k in type(viewset).__mro__ if f"{which}_view" in k.__dict__), None
    )
    if prop is not None and getattr(prop, "fget", None) is not None:
        defined_in = prop.fget.__qualname__.split(".")[0]
        if defined_in not in ("ModelViewSet", "SnippetViewSet"):
            return True
    view_class = getattr(viewset, f"{which}_view_class", None)
    return view_class is not None and issubclass(view_class, ServiceSaveMixin)


@pytest.mark.django_db
def test_every_admin_view_that_can_save_one_of_our_models_calls_a_service():
    from accounts.roles import EXAMINER, role_add

    examiner = UserFactory(is_superuser=True)
    role_add(examiner, EXAMINER)
    found, problems = [], []
    for vs in _our_model_viewsets():
        label = vs.model._meta.label_lower
        found.append(label)
        if label in CONTENT_SNIPPETS:
            continue
        policy = policy_registry.get_by_type(vs.model)
        for action, which in (("add", "add"), ("change", "edit")):
            if policy.user_has_permission(examiner, action) and not _is_service_backed(vs, which):
                problems.append(f"{label}: the {which} screen saves the model directly")
        if policy.user_has_permission(examiner, "delete"):
            prop = next(
                (k.__dict__["delete_view"] for k in type(vs).__mro__ if "delete_view" in k.__dict__), None
            )
            if prop is None or prop.fget.__qualname__.split(".")[0] in ("ModelViewSet", "SnippetViewSet"):
                problems.append(f"{label}: the delete screen deletes the row directly")
    assert {"exams.certification", "exams.sitting", "exams.voucher", "trainers.organisation"} <= set(found)
    assert problems == []
