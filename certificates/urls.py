from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.register_search, name="certificate_search"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("me/certificates/", views.wallet, name="certificate_wallet"),
    path("me/certificates/<str:code>.pdf", views.wallet_pdf, name="certificate_pdf"),
]
