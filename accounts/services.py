from django.utils.translation import gettext

from .models import AuditEntry
from .names import name_normalise, name_validate
from .timezones import time_zone_validate


def audit_record(*, action, target, actor=None, reason="", data=None):
    """Append an audit entry. Call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        data=data or {},
    )


def profile_update(*, user, first_name, last_name, language, country, time_zone=None):
    """The name printed on certificates is normalised and refused with invisible characters; the
    time zone must be one zoneinfo knows (ValidationError otherwise, nothing saved)."""
    for value in (first_name, last_name):
        name_validate(value)
    if time_zone is not None:
        time_zone_validate(time_zone)
        user.time_zone = time_zone
    user.first_name = name_normalise(first_name)
    user.last_name = name_normalise(last_name)
    user.language = language
    user.country = country.upper()
    user.save(update_fields=["first_name", "last_name", "language", "country", "time_zone"])
    audit_record(action="profile.updated", target=user, actor=user)
    return user


def user_language_set(*, user, language):
    """The language of a person's pages and messages (one of settings.LANGUAGES)."""
    from django.core.exceptions import ValidationError

    from .languages import language_valid

    if not language_valid(language):
        raise ValidationError(gettext("Choose one of the offered languages."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(action="profile.language_set", target=user, actor=user, data={"language": language})
    return user
