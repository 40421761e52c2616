from django.urls import path

from . import views
from .js_catalog import js_catalog

urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("language/", views.language_switch, name="language_switch"),
    path("jsi18n/<str:language>/", js_catalog, name="javascript_catalog"),
]
