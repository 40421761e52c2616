from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self):
        from exams.hooks import register_holds_checker, register_result_next_steps
        from exams.signals import attempt_graded, attempt_voided

        from . import receivers, selectors, sharing

        register_holds_checker(selectors.holds_valid_certificate)
        register_result_next_steps(sharing.result_certificate_steps)
        attempt_graded.connect(receivers.on_attempt_graded, dispatch_uid="certificates.on_attempt_graded")
        attempt_voided.connect(receivers.on_attempt_voided, dispatch_uid="certificates.on_attempt_voided")
