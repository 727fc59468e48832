"""A progress bar on stderr (redrawn in place on a terminal, a line every ~10 % otherwise) and phase timing."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, unit: str = "", initial: int = 0) -> None:
        self.label, self.total, self.unit = label, max(total, 1), unit
        self.done = self.initial = initial
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self._last_decile = -1
        self._last_draw = 0.0
        self.suffix = ""

    def update(self, n: int = 1, suffix: str | None = None) -> None:
        self.done = min(self.total, self.done + n)
        if suffix is not None:
            self.suffix = suffix
        now = time.monotonic()
        decile = self.done * 10 // self.total
        if self.tty and (now - self._last_draw > 0.2 or self.done == self.total):
            self._last_draw = now
            sys.stderr.write("\r" + self._line(now) + "\033[K")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif not self.tty and decile != self._last_decile:
            self._last_decile = decile
            sys.stderr.write(self._line(now) + "\n")
            sys.stderr.flush()

    def _line(self, now: float) -> str:
        frac = self.done / self.total
        width = 28
        bar = "█" * int(frac * width) + "░" * (width - int(frac * width))
        elapsed = now - self.started
        done_here = self.done - self.initial
        eta = elapsed / done_here * (self.total - self.done) if done_here > 0 else 0.0
        return (
            f"  {self.label} {bar} {self.done}/{self.total}{self.unit} "
            f"{elapsed:5.0f}s elapsed, ~{eta:4.0f}s left {self.suffix}"
        )


class Phases:
    """Prints each phase's start and duration, and keeps them for the manifest."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.monotonic()

    def run(self, name: str, fn, *args, **kwargs):
        print(f"▶ {name}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        result = fn(*args, **kwargs)
        self.seconds[name] = round(time.monotonic() - t0, 1)
        print(f"✔ {name}: {self.seconds[name]:.1f} s", file=sys.stderr, flush=True)
        return result

    def elapsed_minutes(self) -> float:
        return (time.monotonic() - self.started) / 60
