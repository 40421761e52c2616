from django.dispatch import Signal

# Sent inside the grading transaction with `attempt` (graded). Receivers that
# write (certificate issuance) therefore commit or roll back with the grade.
attempt_graded = Signal()
