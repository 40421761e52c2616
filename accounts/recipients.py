"""Who an e-mail goes to: the accounts behind a list of recipients (users or addresses), so a
message is rendered in their time zone (accounts.timezones.recipient_time_zone) and their language
(accounts.languages.recipient_language)."""


def recipient_accounts(recipients):
    """The accounts of `recipients` (users, or e-mail addresses looked up), or [] when one of the
    addresses has no account: what such a person prefers is not known."""
    from django.contrib.auth import get_user_model

    items = list(recipients) if isinstance(recipients, list | tuple | set) else [recipients]
    users = [r for r in items if not isinstance(r, str)]
    emails = {r.lower() for r in items if isinstance(r, str)}
    if emails:
        found = list(get_user_model().objects.filter(email__in=emails))
        if {u.email.lower() for u in found} != emails:
            return []
        users += found
    return users
