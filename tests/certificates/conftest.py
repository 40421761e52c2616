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
    """A complete ring: an Ed25519 key (Data Integrity) and an RSA key (VC-JWT), which is returned."""
    from certificates.signing_keys import key_create

    key_create(kind="ed25519")
    return key_create(kind="rsa")


@pytest.fixture
def ed25519_key(signing_key):
    from certificates.signing_keys import key_current

    return key_current("ed25519")


class ServedBy:
    """A `download` for outside verifiers that answers from the Django test client: the same
    bytes our server sends, without a network. Anything not on SITE_URL is refused."""

    def __init__(self, client, settings, accept=None):
        self.client, self.site, self.accept, self.fetched = client, settings.SITE_URL, accept, []

    def __call__(self, url):
        from urllib.parse import urlsplit

        site = urlsplit(self.site)
        parts = urlsplit(url)
        if parts.netloc != site.netloc:
            raise ValueError(f"not our server: {url}")
        self.fetched.append(url)
        headers = {"HTTP_ACCEPT": self.accept} if self.accept else {}
        response = self.client.get(parts.path + (f"?{parts.query}" if parts.query else ""), **headers)
        if response.status_code != 200:
            raise OSError(f"{url} answered {response.status_code}")
        return response.content


@pytest.fixture
def served_by(client, settings):
    return lambda accept=None: ServedBy(client, settings, accept)
