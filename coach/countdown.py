"""The live 30-second chair stand's clock: "3, 2, 1, Go", then the 30 s counted down, then "Stop".

Pure and fed video time (s, the frames' timestamps): `update` says what to show and what to say on each frame,
and when "Go" was said, so the chair-stand analyzer counts from that moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coach.labels import LIVE_TEST_WORDS
from coach.thresholds import CHAIR_STAND_TEST_S

LEAD_S = 3.0
"""Seconds counted out loud ("3", "2", "1") before "Go", s."""
GO_SHOWN_S = 1.0
""""Go!" stays on the screen this long before the seconds left show, s."""


@dataclass(frozen=True, slots=True)
class CountdownState:
    """One frame of the clock: the screen text, a word to say now (None: nothing new) and "Go"'s time (s; None
    before it)."""

    text: str
    say: str | None
    go_s: float | None
    over: bool = False


class GoCountdown:
    """Counts "3, 2, 1, Go" from `start`, then the test's seconds left, then "Stop"."""

    def __init__(self, lead_s: float = LEAD_S, test_s: float = CHAIR_STAND_TEST_S) -> None:
        self.lead_s = lead_s
        self.test_s = test_s
        self.start_s = math.nan
        self._said: set[str] = set()

    @property
    def started(self) -> bool:
        """Whether the countdown has begun."""
        return math.isfinite(self.start_s)

    def start(self, time_s: float) -> None:
        """Begin the countdown at `time_s` (s of video time); a second call changes nothing."""
        if not self.started:
            self.start_s = time_s

    def _once(self, word: str) -> str | None:
        if word in self._said:
            return None
        self._said.add(word)
        return word

    def update(self, time_s: float) -> CountdownState | None:
        """The clock at `time_s` (None before `start`)."""
        if not self.started:
            return None
        go = self.start_s + self.lead_s
        if time_s < go:
            n = str(max(1, math.ceil(go - time_s - 1e-9)))
            return CountdownState(LIVE_TEST_WORDS["get_ready"].format(n=n), self._once(n), None)
        run = time_s - go
        if run < self.test_s:
            left = math.ceil(self.test_s - run - 1e-9)
            text = LIVE_TEST_WORDS["go"] if run < GO_SHOWN_S else LIVE_TEST_WORDS["seconds_left"].format(n=left)
            return CountdownState(text, self._once("Go"), go)
        return CountdownState(LIVE_TEST_WORDS["stop"], self._once("Stop"), go, over=True)
