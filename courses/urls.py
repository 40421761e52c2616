from django.urls import path

from . import views

urlpatterns = [path("glossary/", views.glossary, name="glossary")]
