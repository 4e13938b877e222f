"""The global time budget of one run: every request and subprocess takes its timeout from it."""

from __future__ import annotations

import time


class BenchTimeout(RuntimeError):
    pass


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if self.remaining() <= 0:
            raise BenchTimeout(f"超过总时限 {self.seconds:.0f} 秒，已中止")

    def timeout(self, cap: float) -> float:
        """The timeout for one step: at most `cap`, never beyond the deadline."""
        self.check()
        return max(0.1, min(cap, self.remaining()))
