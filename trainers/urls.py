from django.urls import path

from .views import dashboard, feedback, manage, public, vouchers

app_name = "trainers"

urlpatterns = [
    # Public directory, calendar and feeds
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
    path("sessions/<int:session_id>/feedback/", feedback.feedback, name="feedback"),
    path("sessions/invitations/<str:token>/", public.session_invitation, name="session_invitation"),
    # Trainers and ATO admins
    path("training/", dashboard.home, name="home"),
    path("training/sessions/new/", manage.session_new, name="session_new"),
    path("training/sessions/<int:session_id>/", manage.session_manage, name="manage_session"),
    path("training/sessions/<int:session_id>/edit/", manage.session_edit, name="session_edit"),
    path("training/sessions/<int:session_id>/action/", manage.session_action, name="session_action"),
    path(
        "training/sessions/<int:session_id>/confirm/<slug:kind>/",
        manage.session_confirm,
        name="session_confirm",
    ),
    path("training/sessions/<int:session_id>/invite/", manage.participant_invite, name="participant_invite"),
    path("training/sessions/<int:session_id>/import/", manage.participant_import, name="participant_import"),
    path(
        "training/sessions/<int:session_id>/participants/<int:participant_id>/",
        manage.participant_action,
        name="participant_action",
    ),
    path(
        "training/sessions/<int:session_id>/invitations/<int:invitation_id>/",
        manage.invitation_action,
        name="invitation_action",
    ),
    path("training/sessions/<int:session_id>/attendance/", manage.attendance, name="attendance"),
    path("training/organisations/<slug:slug>/", dashboard.organisation_admin, name="organisation_admin"),
    path("training/organisations/<slug:slug>/invite/", dashboard.trainer_invite, name="trainer_invite"),
    path(
        "training/organisations/<slug:slug>/vouchers/",
        vouchers.organisation_vouchers,
        name="organisation_vouchers",
    ),
    path(
        "training/organisations/<slug:slug>/vouchers/assign/", vouchers.voucher_assign, name="voucher_assign"
    ),
    path(
        "training/organisations/<slug:slug>/vouchers/assignments/<int:assignment_id>/revoke/",
        vouchers.voucher_revoke,
        name="voucher_revoke",
    ),
    path(
        "training/organisations/<slug:slug>/vouchers/request/",
        vouchers.voucher_request,
        name="voucher_request",
    ),
    path("training/invitations/<str:token>/", dashboard.invitation_accept, name="invitation_accept"),
]
