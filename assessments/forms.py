"""Forms of the provider and assessment pages. They check the shape of the input; the rules are
the services' (a refusal is shown at the field it names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX, ProviderMembership

ROLE_CHOICES = ProviderMembership.Role.choices
TARGET_CHOICES = [(n, str(n)) for n in range(1, 5)]


class DomainErrorsForm(forms.Form):
    def add_domain_error(self, exc):
        self.add_error(exc.field if exc.field in self.fields else None, exc.detail)


class ProviderForm(DomainErrorsForm):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name for the address"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and hyphens; leave empty to derive it from the name."),
    )
    country = forms.CharField(label=_("Country code"), max_length=2, help_text=_("Two letters, e.g. DE."))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class InviteForm(DomainErrorsForm):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=ProviderMembership.Role.ASSESSOR)


class RoleForm(DomainErrorsForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class AssessmentForm(DomainErrorsForm):
    title = forms.CharField(label=_("Title"), max_length=200)


class ScopeForm(DomainErrorsForm):
    """One row per requirement: in scope (processes only), reason when out, target level."""

    def __init__(self, *args, requirements, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = requirements
        for r in requirements:
            entry = entries.get(r.pk)
            if not r.is_general:
                self.fields[f"{r.code}-in_scope"] = forms.BooleanField(
                    label=_("%(code)s in scope") % {"code": r.code},
                    required=False,
                    initial=entry.in_scope if entry else True,
                )
                self.fields[f"{r.code}-reason"] = forms.CharField(
                    label=_("Reason if out of scope (%(code)s)") % {"code": r.code},
                    required=False,
                    max_length=2000,
                    initial=entry.reason if entry else "",
                    widget=forms.TextInput,
                )
            self.fields[f"{r.code}-target"] = forms.TypedChoiceField(
                label=_("Target level (%(code)s)") % {"code": r.code},
                choices=TARGET_CHOICES,
                coerce=int,
                initial=entry.target if entry else 3,
            )

    def rows(self):
        for r in self.requirements:
            yield {
                "requirement": r,
                "in_scope": None if r.is_general else self[f"{r.code}-in_scope"],
                "reason": None if r.is_general else self[f"{r.code}-reason"],
                "target": self[f"{r.code}-target"],
            }

    def entries(self):
        d = self.cleaned_data
        return {
            r.code: {
                "in_scope": True if r.is_general else d.get(f"{r.code}-in_scope", False),
                "reason": "" if r.is_general else d.get(f"{r.code}-reason", ""),
                "target": d.get(f"{r.code}-target"),
            }
            for r in self.requirements
        }


class EvidenceLinkForm(DomainErrorsForm):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    name = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)


class EvidenceFileForm(DomainErrorsForm):
    file = forms.FileField(label=_("File (at most 10 MB)"))


def comment_field():
    return forms.CharField(required=False, max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
