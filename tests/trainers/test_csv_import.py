import pytest

from tests.factories import UserFactory
from trainers import errors, services
from trainers.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return [UserFactory(email=f"p{i}@csv.example") for i in range(3)]


def test_a_good_file_enrols_everyone_with_their_extra_time(published_a, trainer_a, people):
    data = (
        b"email,extra_minutes,time_multiplier,extra_time_reason\r\n"
        b"p0@csv.example,,,\r\n"
        b"P1@csv.example,15,1.25,Reading difficulty\r\n"
        b"\r\n"
        b"p2@csv.example,0,1,\r\n"
    )
    out = services.participants_csv_import(session=published_a, data=data, actor=trainer_a.user)
    assert [p.user.email for p in out] == ["p0@csv.example", "p1@csv.example", "p2@csv.example"]
    assert all(p.status == "enrolled" for p in out)
    assert Participant.objects.get(user=people[1]).extra_minutes == 15


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
        "line 5: no account uses unknown@csv.example (ask the person to sign up first)",
        "line 6: p0@csv.example is already on line 2",
    ]
    assert not Participant.objects.exists()


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
