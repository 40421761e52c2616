from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User
from .names import name_normalise, name_validate
from .timezones import INVALID_TIME_ZONE, time_zone_choices, time_zone_is_valid, time_zone_or_default


class NameField(forms.CharField):
    """A person's name as printed on certificates: NFC, single spaces, no invisible characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("validators", [name_validate])
        super().__init__(**kwargs)

    def to_python(self, value):
        return name_normalise(super().to_python(value))


class SignupNameForm(forms.Form):
    """Extra sign-up fields: the name as it will be printed on certificates."""

    first_name = NameField(
        label=_("Given name(s)"), help_text=_("As it should be printed on your certificates.")
    )
    last_name = NameField(
        label=_("Family name"), help_text=_("As it should be printed on your certificates.")
    )
    # Filled by static/js/timezone.js from the browser; anything but a zone we know becomes UTC
    # (the person can change it in the profile).
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_time_zone(self):
        return time_zone_or_default(self.cleaned_data.get("time_zone"))

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.time_zone = self.cleaned_data.get("time_zone") or time_zone_or_default(None)
        user.save(update_fields=["first_name", "last_name", "time_zone"])


class ProfileForm(forms.ModelForm):
    first_name = NameField(
        label=_("Given name(s)"), help_text=_("As it should be printed on your certificates.")
    )
    last_name = NameField(
        label=_("Family name"), help_text=_("As it should be printed on your certificates.")
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    country = forms.CharField(
        label=_("Country"), max_length=60, required=False, help_text=_("Two-letter code, e.g. DE.")
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        help_text=_("Every date and time on the site and in e-mails to you is shown in this zone."),
        widget=forms.Select(choices=time_zone_choices()),
        required=False,  # left out: the zone stays as it is
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "country", "time_zone"]

    def clean_time_zone(self):
        value = (self.cleaned_data.get("time_zone") or "").strip()
        if not value:
            return self.instance.time_zone or time_zone_or_default(None)
        if not time_zone_is_valid(value):
            raise forms.ValidationError(INVALID_TIME_ZONE, code="invalid_time_zone", params={"value": value})
        return value

    def clean_country(self):
        value = self.cleaned_data["country"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError(_("Enter a two-letter country code such as DE or PL."))
        return value
