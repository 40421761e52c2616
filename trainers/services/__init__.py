"""Write-side business rules of training organisations, trainers and sessions."""

from .accreditations import (  # noqa: F401
    accreditation_apply,
    accreditation_decide,
    accreditation_expire,
    accreditation_suspend,
    accreditation_withdraw,
    accreditations_suspend_without_certificate,
)
from .attendance import attendance_mark  # noqa: F401
from .csv_import import participants_csv_import, participants_csv_parse  # noqa: F401
from .feedback import feedback_submit  # noqa: F401
from .invitations import (  # noqa: F401
    session_invitation_accept,
    session_invitation_create,
    session_invitation_decline,
    session_invitation_resend,
    session_invitation_withdraw,
)
from .organisations import (  # noqa: F401
    membership_add,
    organisation_create,
    organisation_update,
    trainer_invitation_accept,
    trainer_invitation_create,
    trainer_profile_ensure,
)
from .participants import (  # noqa: F401
    participant_accept,
    participant_cancel,
    participant_extra_time_set,
    participant_invite,
    participant_refuse,
    participant_request,
)
from .sessions import (  # noqa: F401
    publish_problems,
    session_cancel,
    session_complete,
    session_create,
    session_publish,
    session_update,
)
from .sittings import session_attendees, session_sitting_open  # noqa: F401
from .vouchers import (  # noqa: F401
    organisation_voucher_assign,
    organisation_voucher_revoke,
    organisation_vouchers_allocate,
    voucher_request_create,
    voucher_request_decline,
)
