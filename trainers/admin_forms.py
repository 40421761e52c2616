"""Forms of the examiner screens in the CMS (thin: the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exams.models import Certification

from .models import Organisation, TrainerProfile, VoucherRequest


class AccreditationApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=TrainerProfile.objects.all(), required=False
    )
    certification = forms.ModelChoiceField(
        label=_("Certification"), queryset=Certification.objects.filter(earned_by="exam")
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("trainer")):
            raise forms.ValidationError(_("Choose either an organisation or a trainer."))
        return data


class AccreditationDecideForm(forms.Form):
    ACTIONS = [
        ("accredit", _("Accredit (or reinstate) for the period below")),
        ("refuse", _("Refuse the application")),
        ("suspend", _("Suspend")),
        ("withdraw", _("Withdraw")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Decision notes (kept in the history)."),
    )


class VoucherAllocateForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    certification = forms.ModelChoiceField(
        label=_("Certification"), queryset=Certification.objects.filter(earned_by="exam")
    )
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=500)
    valid_until = forms.DateTimeField(
        label=_("Valid until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    request = forms.ModelChoiceField(
        queryset=VoucherRequest.objects.filter(status=VoucherRequest.Status.OPEN),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("The ATO admin's request this allocation answers (it is then marked as allocated)."),
    )

    @staticmethod
    def initial_for(request):
        return {
            "organisation": request.organisation_id,
            "certification": request.certification_id,
            "count": request.count,
            "request": request.pk,
        }


class VoucherRequestDeclineForm(forms.Form):
    note = forms.CharField(max_length=1000, required=False, label=_("Reason (kept with the request)"))
