from datetime import timedelta

import pytest

from exams import errors, services
from exams.models import Registration, Sitting, Voucher
from exams.services.vouchers import ALPHABET, voucher_code_display
from tests.exams.test_api import api


@pytest.fixture
def voucher(certification, examiner, now):
    return services.voucher_create(
        certification=certification, valid_until=now + timedelta(days=30), created_by=examiner
    )[0]


@pytest.mark.django_db
def test_codes_are_long_random_and_unambiguous(certification, now):
    vouchers = services.voucher_create(certification=certification, valid_until=now, count=50)
    codes = {v.code for v in vouchers}
    assert len(codes) == 50
    for code in codes:
        assert len(code) >= 12 and set(code) <= set(ALPHABET)
        assert not set(code) & set("0O1IL5S")


@pytest.mark.django_db
def test_redeeming_registers_in_the_on_demand_sitting(voucher, learner, now):
    registration = services.voucher_redeem(
        code=voucher_code_display(voucher.code).lower(), user=learner, now=now
    )
    assert (
        registration.sitting.kind == Sitting.Kind.ON_DEMAND
        and registration.sitting.state == Sitting.State.OPEN
    )
    voucher.refresh_from_db()
    assert voucher.redeemed_by == learner and voucher.registration == registration


@pytest.mark.django_db
def test_second_redemption_by_someone_else_is_refused(voucher, learner, other_learner, now):
    services.voucher_redeem(code=voucher.code, user=learner, now=now)
    with pytest.raises(errors.VoucherUsed):
        services.voucher_redeem(code=voucher.code, user=other_learner, now=now)
    assert not Registration.objects.filter(user=other_learner).exists()


@pytest.mark.django_db
def test_expired_and_unknown_vouchers(voucher, learner, now):
    with pytest.raises(errors.VoucherExpired):
        services.voucher_redeem(code=voucher.code, user=learner, now=now + timedelta(days=31))
    with pytest.raises(errors.VoucherUnknown):
        services.voucher_redeem(code="ABCD-EFGH-JKMN-PQRT", user=learner, now=now)
    voucher.refresh_from_db()
    assert voucher.redeemed_by is None


@pytest.mark.django_db
def test_a_second_voucher_adds_an_attempt(certification, learner, now):
    a, b = services.voucher_create(certification=certification, valid_until=now + timedelta(days=1), count=2)
    services.voucher_redeem(code=a.code, user=learner, now=now)
    registration = services.voucher_redeem(code=b.code, user=learner, now=now)
    assert registration.attempts_allowed == 2


@pytest.mark.django_db
def test_api_status_codes(client, voucher, learner, other_learner, now):
    client.force_login(learner)
    assert api(client, "post", "/vouchers/redeem", {"code": "NOPE-NOPE"}).status_code == 404
    ok = api(client, "post", "/vouchers/redeem", {"code": voucher.code})
    assert ok.status_code == 200 and ok.json()["kind"] == "on_demand" and ok.json()["attempts_left"] == 1
    client.force_login(other_learner)
    assert api(client, "post", "/vouchers/redeem", {"code": voucher.code}).status_code == 409
    Voucher.objects.filter(pk=voucher.pk).update(
        redeemed_by=None, redeemed_at=None, valid_until=now - timedelta(days=1)
    )
    assert api(client, "post", "/vouchers/redeem", {"code": voucher.code}).status_code == 410
    assert api(client, "post", "/vouchers/redeem", {}).status_code == 422


@pytest.mark.django_db
def test_redeem_page_shows_a_clear_message(client, learner):
    client.force_login(learner)
    response = client.post("/me/exams/voucher/", {"code": "WRONG"}, follow=True)
    assert "No voucher has this code" in response.content.decode()


@pytest.mark.django_db
def test_vouchers_created_in_the_cms_get_a_code(client, examiner, certification, now):
    from tests.conftest import mfa_login

    mfa_login(client, examiner)
    response = client.post(
        "/cms/voucher/new/",
        {
            "certification": certification.pk,
            "valid_until": (now + timedelta(days=9)).strftime("%Y-%m-%d %H:%M"),
            "issued_to": "ACME",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    voucher = Voucher.objects.get(issued_to="ACME")
    assert len(voucher.code) == 16 and set(voucher.code) <= set(ALPHABET)


@pytest.mark.django_db
def test_a_voucher_issued_to_a_person_is_redeemed_by_that_person_only(
    certification, learner, other_learner, now
):
    [voucher] = services.voucher_create(
        certification=certification, valid_until=now + timedelta(days=30), issued_to_user=learner
    )
    with pytest.raises(errors.VoucherUnknown):
        services.voucher_redeem(code=voucher.code, user=other_learner, now=now)
    registration = services.voucher_redeem(code=voucher.code, user=learner, now=now)
    assert registration.user == learner


@pytest.mark.django_db
def test_a_voucher_is_valid_up_to_its_last_moment(certification, learner, now):
    [voucher] = services.voucher_create(certification=certification, valid_until=now)
    assert services.voucher_redeem(code=voucher.code, user=learner, now=now).user == learner
