"""Accounts in the Wagtail admin are read-only: people sign up through allauth (verified e-mail,
the name printed on certificates), and roles are granted by the services that own them (a
trainer invitation, an accreditation, `manage.py` for examiners), each audited. Registered here,
after wagtail.users has registered its own policy, so ours is the one in force."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.permissions import register_permission_policy

from .wagtail_admin import ReadOnlyPolicy


class SuperuserReadOnlyPolicy(ReadOnlyPolicy):
    """Examiners and superusers may look people up; nobody edits accounts or groups here."""


register_permission_policy(get_user_model(), SuperuserReadOnlyPolicy(get_user_model()))
register_permission_policy(Group, SuperuserReadOnlyPolicy(Group))
