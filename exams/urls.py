from django.urls import path

from .views import candidate, clock, invigilation

urlpatterns = [
    # before the JSON API's catch-all prefix; under gunicorn config.wsgi answers it first
    path("api/v1/clock/<int:attempt_id>/<str:mac>", clock.clock, name="exam_clock"),
    path("me/exams/", candidate.my_exams, name="my_exams"),
    path("me/exams/voucher/", candidate.voucher_redeem, name="voucher_redeem"),
    path("exams/sittings/<int:sitting_id>/", candidate.lobby, name="exam_lobby"),
    path("exams/practice/<str:code>/", candidate.practice_begin, name="practice_begin"),
    path("exams/attempts/<int:attempt_id>/", candidate.take, name="exam_take"),
    path("exams/attempts/<int:attempt_id>/submit/", candidate.submit, name="exam_submit"),
    path("exams/attempts/<int:attempt_id>/result/", candidate.result, name="exam_result"),
    path("invigilate/", invigilation.sitting_list, name="invigilation_list"),
    path("invigilate/<int:sitting_id>/", invigilation.monitor, name="invigilation_monitor"),
    path("invigilate/<int:sitting_id>/action/", invigilation.action, name="invigilation_action"),
    path(
        "invigilate/<int:sitting_id>/attempts/<int:attempt_id>/void/",
        invigilation.void,
        name="invigilation_void",
    ),
]
