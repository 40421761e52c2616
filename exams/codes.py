"""Voucher codes: unguessable, and without look-alike characters (0/O, 1/I/L, 5/S),
so a code read aloud or typed from paper survives."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 16


def voucher_code_generate():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


ACCESS_CODE_LENGTH = 12  # 29**12 ≈ 3.5e17 codes: unguessable in the five tries a candidate gets
ACCESS_CODE_MIN_LENGTH = 8


def access_code_generate():
    """A sitting's access code, in groups of four for reading aloud: e.g. 'K7PX-3MQ9-RT2W'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, ACCESS_CODE_LENGTH, 4))


def access_code_normalise(value):
    """What counts in a code: its letters and digits, in capitals (spaces and dashes ignored)."""
    return "".join(c for c in str(value or "").upper() if c.isalnum())


def access_code_matches(expected, given):
    """Constant-time comparison of the normalised codes."""
    import hmac

    return hmac.compare_digest(
        access_code_normalise(expected).encode(), access_code_normalise(given).encode()
    )
