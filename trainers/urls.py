from django.urls import path

from .views import public

app_name = "trainers"

urlpatterns = [
    path("organisations/", public.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", public.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/sessions.ics", public.organisation_ics, name="organisation_ics"),
    path("trainers/", public.trainer_list, name="trainer_list"),
    path("trainers/<slug:slug>/", public.trainer_detail, name="trainer_detail"),
    path("trainers/<slug:slug>/sessions.ics", public.trainer_ics, name="trainer_ics"),
    path("sessions/", public.session_list, name="session_list"),
    path("sessions/<int:session_id>/", public.session_detail, name="session_detail"),
    path("sessions/<int:session_id>.ics", public.session_ics, name="session_ics"),
    path("sessions/<int:session_id>/request/", public.session_request, name="session_request"),
    path("sessions/<int:session_id>/withdraw/", public.session_withdraw, name="session_withdraw"),
]
