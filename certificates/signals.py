from django.dispatch import Signal

# Sent inside the revoking transaction with `certificate` (now revoked), so a
# receiver's writes (a trainer accreditation suspended because the trainer no
# longer holds the certification) commit or roll back with the revocation.
certificate_revoked = Signal()
