"""Certificate codes: random, unguessable, with a check character so a mistyped
code is told apart from an unknown one.

The alphabet has 29 characters, a prime: the check makes sum(position * value)
a multiple of 29, which catches every single wrong character and every swap
of two neighbouring characters."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"  # no 0/O, 1/I/L, 5/S look-alikes
N = len(ALPHABET)
BODY_LENGTH = 10


def check_character(body):
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    weight = len(body) + 1
    value = (-total * pow(weight, -1, N)) % N
    return ALPHABET[value]


def code_generate():
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def code_normalise(raw):
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def code_is_well_formed(code):
    """True when every character is in the alphabet and the check character matches."""
    if len(code) != BODY_LENGTH + 1 or any(ch not in ALPHABET for ch in code):
        return False
    return check_character(code[:-1]) == code[-1]
