import pytest

from tests.factories import UserFactory
from trainers import errors, services
from trainers.models import Participant, SessionInvitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [UserFactory(email=f"p{i}@csv.example") for i in range(3)]


def test_a_good_file_invites_everyone_with_their_extra_time(
    published_a, trainer_a, people, mailoutbox, django_capture_on_commit_callbacks
):
    data = (
        b"email,extra_minutes,time_multiplier,extra_time_reason\r\n"
        b"p0@csv.example,,,\r\n"
        b"P1@csv.example,15,1.25,Reading difficulty\r\n"
        b"\r\n"
        b"p2@csv.example,0,1,\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = services.participants_csv_import(session=published_a, data=data, actor=trainer_a.user)
    assert [i.email for i in out] == ["p0@csv.example", "p1@csv.example", "p2@csv.example"]
    assert all(i.status == "pending" for i in out)
    assert not Participant.objects.exists()  # a seat is taken only on acceptance
    assert sorted(m.to[0] for m in mailoutbox) == ["p0@csv.example", "p1@csv.example", "p2@csv.example"]
    # The extra time waits on the invitation and is the participant's once they accept.
    assert out[1].extra_minutes == 15 and out[1].extra_time_reason == "Reading difficulty"
    participant = services.session_invitation_accept(token=out[1].token, user=people[1])
    assert participant.status == "enrolled" and participant.extra_minutes == 15
    assert str(participant.time_multiplier) == "1.25"


def test_an_address_without_an_account_is_invited_like_any_other(published_a, trainer_a, people):
    data = "email\np0@csv.example\nnobody-yet@csv.example\n"
    out = services.participants_csv_import(session=published_a, data=data, actor=trainer_a.user)
    assert [i.email for i in out] == ["p0@csv.example", "nobody-yet@csv.example"]


def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(published_a, trainer_a, people):
    data = (
        "email,extra_minutes\n"
        "p0@csv.example,\n"
        "not-an-address,\n"
        "p1@csv.example,999\n"
        "unknown@csv.example,\n"
        "p0@csv.example,\n"
    )
    with pytest.raises(errors.ImportRejected) as info:
        services.participants_csv_import(session=published_a, data=data, actor=trainer_a.user)
    assert info.value.errors == [
        "line 3: “not-an-address” is not an e-mail address",
        "line 4: extra_minutes must be a whole number from 0 to 240",
        "line 6: p0@csv.example is already on line 2",
    ]
    assert not Participant.objects.exists() and not SessionInvitation.objects.exists()


def test_a_file_without_an_email_column_is_refused(published_a, trainer_a, people):
    with pytest.raises(errors.ImportRejected, match="line 1"):
        services.participants_csv_import(
            session=published_a, data="mail\np0@csv.example\n", actor=trainer_a.user
        )


def test_extra_time_without_reason_is_a_bad_row(published_a, trainer_a, people):
    with pytest.raises(errors.ImportRejected, match="line 2: extra time needs"):
        services.participants_csv_import(
            session=published_a, data="email,extra_minutes\np0@csv.example,10\n", actor=trainer_a.user
        )


def test_a_non_utf8_file_is_refused(published_a, trainer_a):
    with pytest.raises(errors.ImportRejected, match="UTF-8"):
        services.participants_csv_import(session=published_a, data=b"email\n\xff\xfe\n", actor=trainer_a.user)
