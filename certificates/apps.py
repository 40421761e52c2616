from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self):
        from exams.hooks import register_holds_checker
        from exams.signals import attempt_graded, attempt_voided

        from . import receivers, selectors

        register_holds_checker(selectors.holds_valid_certificate)
        attempt_graded.connect(receivers.on_attempt_graded, dispatch_uid="certificates.on_attempt_graded")
        attempt_voided.connect(receivers.on_attempt_voided, dispatch_uid="certificates.on_attempt_voided")
