from .models import AuditEntry


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
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.country = country.upper()
    user.save(update_fields=["first_name", "last_name", "language", "country"])
    audit_record(action="profile.updated", target=user, actor=user)
    return user
