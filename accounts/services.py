from .models import AuditEntry
from .names import name_normalise, name_validate


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


def profile_update(*, user, first_name, last_name, language, country):
    """The name printed on certificates is normalised and refused with invisible characters."""
    for value in (first_name, last_name):
        name_validate(value)
    user.first_name = name_normalise(first_name)
    user.last_name = name_normalise(last_name)
    user.language = language
    user.country = country.upper()
    user.save(update_fields=["first_name", "last_name", "language", "country"])
    audit_record(action="profile.updated", target=user, actor=user)
    return user
