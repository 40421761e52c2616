from django import forms


class RegisterSearchForm(forms.Form):
    code = forms.CharField(label="Certificate number", max_length=32)
    family_name = forms.CharField(label="Family name of the holder", max_length=150)
