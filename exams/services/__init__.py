"""Write-side business rules of the exam engine (see the modules for each area)."""

from .attempts import (  # noqa: F401
    ANSWERS_PER_BATCH,
    answer_save,
    answer_save_own,
    answers_save_own,
    attempt_assemble,
    attempt_begin,
    attempt_client_event_record,
    attempt_display_language_record,
    attempt_expire,
    attempt_extend,
    attempt_grade,
    attempt_start,
    attempt_submit,
    attempt_void,
    attempts_expire_overdue,
    practice_attempt_begin,
)
from .sittings import (  # noqa: F401
    extra_time_check,
    registration_create,
    registration_extra_time_approve,
    registration_extra_time_grant,
    registration_unlock,
    sitting_close,
    sitting_create,
    sitting_extend_all,
    sitting_invigilators_set,
    sitting_on_demand_get,
    sitting_open,
    sitting_update,
)
from .vouchers import voucher_code_normalise, voucher_create, voucher_redeem  # noqa: F401
