from django.dispatch import Signal

# Sent inside the grading transaction with `attempt` (graded). Receivers that
# write (certificate issuance) therefore commit or roll back with the grade.
attempt_graded = Signal()

# Sent inside the voiding transaction with `attempt` (voided) and `actor`, so a receiver's
# writes (the certificate the attempt produced, revoked) commit or roll back with the void.
attempt_voided = Signal()
