from django.shortcuts import render

from .selectors import home_levels


def home(request):
    return render(request, "home.html", {"levels": home_levels(request=request)})


def about_material(request):
    return render(request, "about_material.html")
