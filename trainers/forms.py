"""Forms of the trainer and ATO-admin pages. They check input; the services decide."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exams.models import Certification

from . import selectors
from .models import SESSION_LANGUAGES, TrainerProfile, TrainingSession

# The zones offered, and the zone a session of an organisation in a country most likely uses.
COUNTRY_ZONES = {
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "PT": "Europe/Lisbon",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
    "AT": "Europe/Vienna",
    "CZ": "Europe/Prague",
    "DK": "Europe/Copenhagen",
    "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw",
    "GR": "Europe/Athens",
    "FI": "Europe/Helsinki",
    "ZA": "Africa/Johannesburg",
    "IN": "Asia/Kolkata",
    "SG": "Asia/Singapore",
    "JP": "Asia/Tokyo",
}
COMMON_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Zurich",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Vienna",
    "Europe/Prague",
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)


class DomainErrorsForm(forms.Form):
    def add_domain_error(self, exc):
        """A service's refusal (a TrainersError), shown at the field it is about, else above the form."""
        self.add_error(exc.field if exc.field in self.fields else None, exc.detail)


class SessionForm(DomainErrorsForm):
    """A new or edited session. `defaults_for` fills what can be known: the organisation when there
    is only one, the trainer themself, the certification the organisation is accredited for, the
    language they teach in, the time zone of its country and a usual day of teaching."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    certification = forms.ModelChoiceField(
        label=_("Certification"), queryset=Certification.objects.filter(earned_by="exam")
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty for “<course> course”.")
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    starts_at = LocalDateTimeField(label=_("Starts (local time)"))
    ends_at = LocalDateTimeField(label=_("Ends (local time)"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in COMMON_ZONES], initial="Europe/Berlin"
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=TrainingSession.Mode.choices)
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("Address, for in-person or blended courses."),
    )
    meeting_link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("For online or blended courses; shown only to enrolled participants."),
    )
    language = forms.ChoiceField(label=_("Language of the course"), choices=SESSION_LANGUAGES, initial="en")
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500, initial=12)
    public_notes = forms.CharField(
        label=_("Public notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, organisations, trainers, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None
        self.fields["trainers"].queryset = trainers
        self.fields["trainers"].label_from_instance = lambda t: t.display_name
        if editing:
            del self.fields["organisation"]
            del self.fields["certification"]

    def clean(self):
        data = super().clean()
        zone = zoneinfo.ZoneInfo(data.get("time_zone") or "UTC")
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                wall = timezone.make_naive(data[name], UTC)
                data[name] = wall.replace(tzinfo=zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data

    @staticmethod
    def defaults_for(*, user, organisations, today=None):
        today = today or timezone.localdate()
        day = today + timedelta(weeks=4)
        initial = {
            "starts_at": datetime.combine(day, time(9, 0)),
            "ends_at": datetime.combine(day, time(17, 0)),
            "mode": TrainingSession.Mode.ONLINE,
        }
        organisations = list(organisations)
        profile = TrainerProfile.objects.filter(user=user).first()
        codes = [code for code, _label in SESSION_LANGUAGES]
        spoken = [c for c in (profile.language_list if profile else []) if c in codes]
        initial["language"] = spoken[0] if spoken else (user.language if user.language in codes else "en")
        if len(organisations) == 1:
            organisation = organisations[0]
            initial["organisation"] = organisation.pk
            initial["time_zone"] = COUNTRY_ZONES.get(organisation.country, "UTC")
            certifications = list(selectors.organisation_accredited_certifications(organisation))
            if len(certifications) == 1:
                initial["certification"] = certifications[0].pk
        if profile and selectors.trainers_of_organisations(organisations).filter(pk=profile.pk).exists():
            initial["trainers"] = [profile.pk]
        return initial

    @staticmethod
    def initial_for(session):
        return {
            "title": session.title,
            "trainers": list(session.trainers.all()),
            "starts_at": session.local_start.replace(tzinfo=None),
            "ends_at": session.local_end.replace(tzinfo=None),
            "time_zone": session.time_zone,
            "mode": session.mode,
            "venue": session.venue,
            "meeting_link": session.meeting_link,
            "language": session.language,
            "capacity": session.capacity,
            "public_notes": session.public_notes,
        }


class InviteForm(DomainErrorsForm):
    email = forms.EmailField(
        label=_("E-mail address of the participant"),
        help_text=_("They get an e-mail with a link; the seat is theirs once they accept it."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the learner)"), max_length=500, required=False, widget=forms.TextInput
    )


class VoucherAssignForm(DomainErrorsForm):
    certification = forms.ModelChoiceField(queryset=None, label=_("Exam"))
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The voucher code is e-mailed to this address."),
    )

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications
        if len(certifications) == 1:
            self.fields["certification"].empty_label = None


class VoucherRequestForm(DomainErrorsForm):
    certification = forms.ModelChoiceField(queryset=None, label=_("Exam"))
    count = forms.IntegerField(label=_("Number of vouchers"), min_value=1, max_value=500, initial=10)
    note = forms.CharField(
        label=_("Note to the certification body"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the session or the group the vouchers are for."),
    )

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications
        if len(certifications) == 1:
            self.fields["certification"].empty_label = None


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header line with “email”, optionally extra_minutes, time_multiplier, extra_time_reason."
        ),
    )


class ExtraTimeForm(forms.Form):
    extra_minutes = forms.IntegerField(label=_("Extra minutes"), min_value=0, max_value=240, initial=0)
    time_multiplier = forms.DecimalField(
        label=_("Time multiplier"), min_value=1, max_value=3, decimal_places=2, initial=1
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TrainerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the trainer"))


class FeedbackForm(forms.Form):
    RATINGS = [(i, str(i)) for i in range(5, 0, -1)]
    rating_overall = forms.TypedChoiceField(
        label=_("Overall, how good was the course? (5 = excellent)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    rating_trainer = forms.TypedChoiceField(
        label=_("How good was the trainer?"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    rating_material = forms.TypedChoiceField(
        label=_("How useful was the material?"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )
