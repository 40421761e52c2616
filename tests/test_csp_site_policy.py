"""The site's Content-Security-Policy built once per process (config/csp.py): every response
without anything of its own gets exactly the policy of the settings; a response with its own
change, a nonce or an admin path is built by django-csp; a change of the settings is seen."""

import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory, override_settings

from config.csp import SiteCSPMiddleware


def directives(policy):
    return {part.strip() for part in policy.split(";") if part.strip()}


def respond(path="/api/v1/attempts/1/answers/1", response=None, before=None):
    request = RequestFactory().put(path)
    middleware = SiteCSPMiddleware(lambda r: response or JsonResponse({"ok": True}))
    middleware.process_request(request)
    if before:
        before(request)
    return request, middleware.process_response(request, response or JsonResponse({"ok": True}))


def test_a_plain_answer_carries_the_policy_of_the_settings():
    _, response = respond()
    assert directives(response["Content-Security-Policy"]) == directives(build_policy())
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_response_with_its_own_change_keeps_it():
    own = HttpResponse()
    own._csp_update = {"img-src": ["https://images.example"]}
    _, response = respond(response=own)
    assert "https://images.example" in response["Content-Security-Policy"]
    _, plain = respond()
    assert "https://images.example" not in plain["Content-Security-Policy"]


def test_an_admin_screen_gets_the_admin_policy():
    _, response = respond(path="/cms/pages/")
    assert "script-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_page_that_used_its_nonce_gets_it_in_the_policy():
    request, response = respond(before=lambda r: str(r.csp_nonce))
    assert f"'nonce-{request._csp_nonce}'" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_was_written_is_an_error():
    request, _ = respond()
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_an_exempt_response_gets_no_policy():
    exempt = HttpResponse()
    exempt._csp_exempt = True
    _, response = respond(response=exempt)
    assert "Content-Security-Policy" not in response


def test_a_change_of_the_settings_is_seen():
    respond()  # built and kept
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        _, response = respond()
    assert response["Content-Security-Policy"] == "default-src 'none'"
    _, after = respond()
    assert "script-src 'self'" in after["Content-Security-Policy"]
