"""A progress bar on a terminal, a line per tenth elsewhere (CI logs, the bench's pipe)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self._last_tenth = -1
        self._last_draw = 0.0

    def advance(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if self.tty:
            if now - self._last_draw >= 0.2 or self.done >= self.total:
                self._draw(end="")
                self._last_draw = now
        else:
            tenth = min(self.done * 10 // self.total, 10)
            if tenth != self._last_tenth:
                self._last_tenth = tenth
                self._draw(end="\n")

    def _draw(self, end: str) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        elapsed = time.perf_counter() - self.started
        text = f"{self.label:<10} [{bar:<30}] {share:4.0%} {self.done:>11,}/{self.total:,}  {elapsed:6.1f} 秒"
        prefix = "\r" if self.tty else ""
        self.stream.write(prefix + text + end)
        self.stream.flush()

    def finish(self) -> float:
        if self.done < self.total:
            self.done = self.total
            self._draw(end="" if self.tty else "\n")
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()
        return time.perf_counter() - self.started
