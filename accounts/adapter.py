"""allauth's account adapter: failed passwords count against the address's limit of ours
(accounts.ratelimits), beside allauth's own per-account limit."""

from allauth.account.adapter import DefaultAccountAdapter

from .ratelimits import request_limited


class AccountAdapter(DefaultAccountAdapter):
    def authentication_failed(self, request, **credentials):
        request_limited(request, "login-failed:ip")
        super().authentication_failed(request, **credentials)
