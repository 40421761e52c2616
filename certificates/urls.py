from django.urls import path

from . import ob_views, views

urlpatterns = [
    path("ob/v2/issuer", ob_views.issuer, name="ob2_issuer"),
    path("ob/v2/revocations", ob_views.revocations, name="ob2_revocations"),
    path("ob/v2/badges/<str:code>.png", ob_views.badge_image, name="ob2_badge_image"),
    path("ob/v2/badges/<str:code>", ob_views.badge_class, name="ob2_badge"),
    path("ob/v2/assertions/<uuid:uuid>.png", ob_views.assertion_png, name="ob2_assertion_png"),
    path("ob/v2/assertions/<uuid:uuid>", ob_views.assertion, name="ob2_assertion"),
    path("verify/", views.register_search, name="certificate_search"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("me/certificates/", views.wallet, name="certificate_wallet"),
    path("me/certificates/<str:code>.pdf", views.wallet_pdf, name="certificate_pdf"),
]
