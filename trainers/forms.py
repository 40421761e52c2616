"""Forms of the trainer and ATO-admin pages. They check input; the services decide."""

import zoneinfo
from datetime import UTC

from django import forms
from django.utils import timezone

from exams.models import Certification

from .models import TrainingSession

COMMON_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Vienna",
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


class SessionForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None)
    certification = forms.ModelChoiceField(queryset=Certification.objects.filter(earned_by="exam"))
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for “<course> course”.")
    trainers = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    starts_at = LocalDateTimeField(label="Starts (local time)")
    ends_at = LocalDateTimeField(label="Ends (local time)")
    time_zone = forms.ChoiceField(choices=[(z, z) for z in COMMON_ZONES], initial="Europe/Berlin")
    mode = forms.ChoiceField(choices=TrainingSession.Mode.choices)
    venue = forms.CharField(
        max_length=300, required=False, help_text="Address, for in-person or blended courses."
    )
    meeting_link = forms.URLField(
        required=False, assume_scheme="https", help_text="Shown only to enrolled participants."
    )
    language = forms.CharField(max_length=8, initial="en", help_text="Language code, e.g. en, de.")
    capacity = forms.IntegerField(min_value=1, max_value=500, initial=12)
    public_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organisations, trainers, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
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
            self.add_error("ends_at", "The session must end after it starts.")
        return data

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


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address of the participant")


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header line with “email”, optionally extra_minutes, time_multiplier, extra_time_reason.",
    )


class ExtraTimeForm(forms.Form):
    extra_minutes = forms.IntegerField(min_value=0, max_value=240, initial=0)
    time_multiplier = forms.DecimalField(min_value=1, max_value=3, decimal_places=2, initial=1)
    reason = forms.CharField(max_length=300, required=False)


class TrainerInviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address of the trainer")


class FeedbackForm(forms.Form):
    RATINGS = [(i, str(i)) for i in range(5, 0, -1)]
    rating_overall = forms.TypedChoiceField(
        label="Overall, how good was the course? (5 = excellent)",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    rating_trainer = forms.TypedChoiceField(
        label="How good was the trainer?", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    rating_material = forms.TypedChoiceField(
        label="How useful was the material?", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000)
