from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import ProfileForm
from .services import profile_update


@login_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            profile_update(user=request.user, **{k: form.cleaned_data[k] for k in ProfileForm.Meta.fields})
            messages.success(request, gettext("Your profile has been saved."))
            return redirect("profile")
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "accounts/profile.html", {"form": form})


@csrf_exempt
@require_POST
def language_switch(request):
    """The language switcher of every page: the profile of a signed-in person, the cookie of
    anyone; back to the page it was used on.

    A visitor's switch only sets their own language cookie, so it needs no CSRF token (and the
    public, shared course pages carry none); a signed-in person's switch changes their profile
    and is checked like any other form."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.http import HttpResponseBadRequest
    from django.utils.http import url_has_allowed_host_and_scheme

    from .services import user_language_set

    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        try:
            user_language_set(user=request.user, language=language)
        except ValidationError:
            return HttpResponseBadRequest("Choose one of the offered languages.")
    else:
        from .languages import language_valid

        if not language_valid(language):
            return HttpResponseBadRequest("Choose one of the offered languages.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
