from django.urls import path

from .views import dashboard, learning, public

urlpatterns = [
    path("glossary/", public.glossary, name="glossary"),
    path("search/", public.search, name="search"),
    path("me/learning/", dashboard.my_learning, name="my_learning"),
    path("learning/courses/<int:course_id>/enrol/", learning.course_enrol, name="course_enrol"),
    path("learning/courses/<int:course_id>/withdraw/", learning.course_withdraw, name="course_withdraw"),
    path("learning/lessons/<int:lesson_id>/complete/", learning.lesson_complete, name="lesson_complete"),
    path(
        "learning/lessons/<int:lesson_id>/check/",
        learning.knowledge_check_answer,
        name="knowledge_check_answer",
    ),
]
