from django.shortcuts import render

from exams.selectors import certifications_list


def home(request):
    return render(request, "home.html", {"certifications": certifications_list()})


def about_material(request):
    return render(request, "about_material.html")
