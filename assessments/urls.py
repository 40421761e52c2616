from django.urls import path

from . import certification_views as cv
from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.home, name="home"),
    path("assessments/providers/new/", views.provider_new, name="provider_new"),
    path("assessments/providers/<slug:slug>/", views.provider_detail, name="provider"),
    path("assessments/providers/<slug:slug>/invite/", views.provider_invite, name="provider_invite"),
    path(
        "assessments/providers/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "assessments/providers/<slug:slug>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "assessments/providers/<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("assessments/providers/<slug:slug>/new/", views.assessment_new, name="assessment_new"),
    path("assessments/invitations/<str:token>/", views.invitation, name="invitation"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/scope/", views.assessment_scope, name="scope"),
    path("assessments/<int:assessment_id>/submit/", views.assessment_submit, name="submit"),
    path(
        "assessments/<int:assessment_id>/requirements/<str:code>/",
        views.assessment_requirement,
        name="requirement",
    ),
    path(
        "assessments/<int:assessment_id>/items/<int:item_id>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "assessments/<int:assessment_id>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "assessments/<int:assessment_id>/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("assessments/<int:assessment_id>/results/", views.assessment_results, name="results"),
    path("assessments/<int:assessment_id>/report.pdf", views.assessment_pdf, name="report_pdf"),
    path("assessments/<int:assessment_id>/export.csv", views.assessment_csv, name="export_csv"),
    # audited certification
    path("assessments/providers/<slug:slug>/apply/", cv.application_new, name="application_new"),
    path("assessments/applications/", cv.examiner_applications, name="applications"),
    path("assessments/audits/", cv.my_audits, name="my_audits"),
    path("assessments/applications/<int:application_id>/", cv.application_detail, name="application"),
    path(
        "assessments/applications/<int:application_id>/withdraw/",
        cv.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "assessments/applications/<int:application_id>/assign/",
        cv.application_assign,
        name="application_assign",
    ),
    path(
        "assessments/applications/<int:application_id>/declaration/",
        cv.application_declare,
        name="application_declare",
    ),
    path("assessments/applications/<int:application_id>/plan/", cv.plan_add, name="plan_add"),
    path(
        "assessments/applications/<int:application_id>/plan/<int:entry_id>/remove/",
        cv.plan_remove,
        name="plan_remove",
    ),
    path("assessments/applications/<int:application_id>/findings/", cv.finding_add, name="finding_add"),
    path(
        "assessments/applications/<int:application_id>/findings/<int:finding_id>/answer/",
        cv.finding_answer,
        name="finding_answer",
    ),
    path(
        "assessments/applications/<int:application_id>/findings/<int:finding_id>/review/",
        cv.finding_review,
        name="finding_review",
    ),
    path("assessments/applications/<int:application_id>/complete/", cv.audit_complete, name="audit_complete"),
    path(
        "assessments/applications/<int:application_id>/decide/",
        cv.application_decide,
        name="application_decide",
    ),
]
