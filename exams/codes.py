"""Voucher codes: unguessable, and without look-alike characters (0/O, 1/I/L, 5/S),
so a code read aloud or typed from paper survives."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 16


def voucher_code_generate():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
