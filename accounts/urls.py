from django.urls import path

from . import views

urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("language/", views.language_switch, name="language_switch"),
]
