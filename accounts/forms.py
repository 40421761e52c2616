from django import forms
from django.conf import settings

from .models import User
from .names import name_normalise, name_validate


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

    first_name = NameField(label="Given name(s)", help_text="As it should be printed on your certificates.")
    last_name = NameField(label="Family name", help_text="As it should be printed on your certificates.")

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    first_name = NameField(label="Given name(s)", help_text="As it should be printed on your certificates.")
    last_name = NameField(label="Family name", help_text="As it should be printed on your certificates.")
    language = forms.ChoiceField(label="Preferred language", choices=settings.LANGUAGES)
    country = forms.CharField(
        label="Country", max_length=60, required=False, help_text="Two-letter code, e.g. DE."
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "country"]

    def clean_country(self):
        value = self.cleaned_data["country"].strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise forms.ValidationError("Enter a two-letter country code such as DE or PL.")
        return value
