from django import forms
from django.conf import settings

from .models import User


class SignupNameForm(forms.Form):
    """Extra sign-up fields: the name as it will be printed on certificates."""

    first_name = forms.CharField(label="Given name(s)", max_length=150)
    last_name = forms.CharField(label="Family name", max_length=150)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
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
