from django.urls import path

from . import views

urlpatterns = [
    path("glossary/", views.glossary, name="glossary"),
    path("search/", views.search, name="search"),
]
