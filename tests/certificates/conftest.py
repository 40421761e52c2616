import pytest

from exams import services
from tests.conftest import correct_key, wrong_key


def sit(attempt, now, *, right):
    """Answer `right` questions correctly, the rest wrongly, and submit."""
    for seq, item in enumerate(attempt.items.order_by("position"), 1):
        key = correct_key(item) if item.position <= right else wrong_key(item)
        services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=now)
    return services.attempt_submit(attempt=attempt, now=now)


@pytest.fixture
def passed_attempt(attempt, now):
    return sit(attempt, now, right=4)


@pytest.fixture
def keys_dir(settings, tmp_path):
    """Signing keys in a temporary directory, never under the repository."""
    settings.CERTIFICATE_SIGNING_KEYS = ""
    settings.CERTIFICATE_KEYS_DIR = str(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def signing_key(keys_dir):
    from certificates.signing_keys import key_create

    return key_create()
