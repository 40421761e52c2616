from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.login_routes import login_routes

from . import views
from .api import api

# Django's own admin: superusers only, at a non-default path.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    *login_routes(django_admin_path=settings.DJANGO_ADMIN_PATH),
    # First after the sign-in redirects: the exam page's API is the busiest path, and every
    # pattern tried before it costs each of its requests.
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("about/material/", views.about_material, name="about_material"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("exams.urls")),
    path("", include("certificates.urls")),
    path("", include("courses.urls")),
    path("", include("trainers.urls")),
    path("", include("assessments.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(settings.DJANGO_ADMIN_PATH, admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages, each in the reader's language (courses.page_urls).
urlpatterns.append(path("", include("courses.page_urls")))
handler500 = "config.numeric_guard.server_error"
