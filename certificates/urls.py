from django.urls import path

from . import file_views, ob3_views, ob_views, views
from . import organisation_views as org

urlpatterns = [
    # Organisations' certificates (FitSM Essentials, FitSM Plus) and the providers register.
    path("providers/", org.providers_list, name="providers_register"),
    path("providers/<slug:slug>/", org.provider_detail, name="provider_certificates"),
    path("verify/<str:code>/certificate.pdf", org.certificate_pdf, name="organisation_certificate_pdf"),
    path("ob/v2/organisations/badges/<slug:level_code>.png", org.ob2_badge_image, name="org_ob2_badge_image"),
    path("ob/v2/organisations/badges/<slug:level_code>", org.ob2_badge_class, name="org_ob2_badge"),
    path(
        "ob/v2/organisations/assertions/<uuid:uuid>.png", org.ob2_assertion_png, name="org_ob2_assertion_png"
    ),
    path("ob/v2/organisations/assertions/<uuid:uuid>", org.ob2_assertion, name="org_ob2_assertion"),
    path(
        "ob/v3/organisations/achievements/<slug:level_code>", org.ob3_achievement, name="org_ob3_achievement"
    ),
    path(
        "ob/v3/organisations/credentials/<uuid:uuid>.jwt", org.ob3_credential_jwt, name="org_ob3_credential"
    ),
    path(
        "ob/v3/organisations/credentials/<uuid:uuid>.json",
        org.ob3_credential_json,
        name="org_ob3_credential_json",
    ),
    path(
        "ob/v3/organisations/credentials/<uuid:uuid>.png",
        org.ob3_credential_png,
        name="org_ob3_credential_png",
    ),
    path(
        "ob/v3/organisations/status/<str:purpose>.jwt",
        org.ob3_status_list_jwt,
        name="org_ob3_status_list_jwt",
    ),
    path(
        "ob/v3/organisations/status/<str:purpose>.json",
        org.ob3_status_list_json,
        name="org_ob3_status_list_json",
    ),
    path("ob/v3/organisations/status/<str:purpose>", org.ob3_status_list, name="org_ob3_status_list"),
    path("ob/v2/issuer", ob_views.issuer, name="ob2_issuer"),
    path("ob/v2/revocations", ob_views.revocations, name="ob2_revocations"),
    path("ob/v2/badges/<str:code>.png", ob_views.badge_image, name="ob2_badge_image"),
    path("ob/v2/badges/<str:code>", ob_views.badge_class, name="ob2_badge"),
    path("ob/v2/assertions/<uuid:uuid>.svg", ob_views.assertion_svg, name="ob2_assertion_svg"),
    path("ob/v2/assertions/<uuid:uuid>.png", ob_views.assertion_png, name="ob2_assertion_png"),
    path("ob/v2/assertions/<uuid:uuid>", ob_views.assertion, name="ob2_assertion"),
    path("ob/v3/issuer", ob3_views.issuer, name="ob3_issuer"),
    path("ob/v3/issuer.svg", ob3_views.issuer_logo, name="ob3_issuer_logo"),
    path("ob/v3/achievements/<str:code>", ob3_views.achievement, name="ob3_achievement"),
    path("ob/v3/achievements/<str:code>/<str:language>", ob3_views.achievement, name="ob3_achievement_in"),
    path("ob/v3/credentials/<uuid:uuid>.jwt", ob3_views.credential_jwt, name="ob3_credential"),
    path("ob/v3/credentials/<uuid:uuid>.json", ob3_views.credential_json, name="ob3_credential_json"),
    path("ob/v3/credentials/<uuid:uuid>.png", ob3_views.credential_png, name="ob3_credential_png"),
    path("ob/v3/credentials/<uuid:uuid>.svg", ob3_views.credential_svg, name="ob3_credential_svg"),
    path("ob/v3/status/<str:purpose>.jwt", ob3_views.status_list_jwt, name="ob3_status_list_jwt"),
    path("ob/v3/status/<str:purpose>.json", ob3_views.status_list_json, name="ob3_status_list_json"),
    path("ob/v3/status/<str:purpose>", ob3_views.status_list, name="ob3_status_list"),
    path("ob/v3/keys/<str:kid>", ob3_views.key, name="ob3_key"),
    path(".well-known/jwks.json", ob3_views.jwks, name="jwks"),
    path(".well-known/did.json", ob3_views.did_document, name="did_document"),
    path("verify/", views.register_search, name="certificate_search"),
    path("verify/file/", file_views.verify_file, name="certificate_verify_file"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("me/certificates/", views.wallet, name="certificate_wallet"),
    path("me/certificates/<str:code>.pdf", views.wallet_pdf, name="certificate_pdf"),
]
