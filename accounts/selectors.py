from allauth.mfa.models import Authenticator


def user_has_mfa(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request):
    """Whether this session (not only the account) passed the second factor at sign-in or since."""
    from allauth.account.authentication import get_authentication_records

    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))
