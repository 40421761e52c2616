from django.urls import path

from . import views

urlpatterns = [path("me/profile/", views.profile, name="profile")]
