"""The password hasher of the tests: Argon2 (the algorithm production uses, so that a test of the stored hash still
sees `argon2`) with the smallest cost. Production's cost (100 MB, two passes) made every account the demo world and
the log-in tests create cost a third of a second."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB: argon2's floor is 8 × parallelism
    parallelism = 1
