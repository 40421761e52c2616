"""What a side-effect task retries on: errors that pass by themselves.

A mail server or the storage away (OSError), PostgreSQL restarting or failing over
(OperationalError, InterfaceError on a broken connection). A task that meets one of these is run
again with a growing, jittered delay; anything else is a fault in the task and fails it. Every
task retried this way is idempotent (it checks or claims its state first), so a retry after a
partial run does nothing twice.
"""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)

# The keyword arguments of @shared_task for such a task: up to 6 retries, 1 s doubling to 60 s.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
}
