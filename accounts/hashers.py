"""The password hasher: Argon2id with parameters at or above OWASP's minimum for Argon2id
(19 MiB of memory, 2 iterations, 1 lane). Memory-hard, and about 20-30 ms of one core per
check, so a room of candidates signing in together does not saturate the web workers the way
PBKDF2 with a million iterations (about 0.5 s each) did."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same encoded format as Django's, so either class verifies the hash
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
