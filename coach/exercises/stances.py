"""Single-leg stand and the 4-stage balance test: stances read from the feet, timed by the hold engine.

Filmed from the front. Shares are of the person's standing nose-to-floor height in the image:
- a foot is lifted when its lowest point is clearly above the other foot's (`foot_lift_share`), or somewhat
  above it with its shank foreshortened (knee bent behind or in front: its ankle–knee extent under
  `SHANK_LIFTED` of the other leg's); a lifted foot that the model loses behind the standing leg stays lifted
  while its shank stays short, and a straight leg's foot lost right behind the other is heel to toe;
- with both feet down, the sideways gap between the ankles and their front-to-back offset (the nearer foot's
  heel sits lower in the image) tell tandem, semi-tandem and side by side apart;
- a hand far out to the side below the shoulders is reaching for a support;
- sway is the hips' movement, in cm from the person's height, over the hold.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from coach.counter import Phase
from coach.exercises.base import FrameResult, smoothed
from coach.exercises.functional_base import NO_BAND, FunctionalAnalyzer
from coach.exercises.hold_engine import HoldReading, HoldTimer
from coach.exercises.spec import ExerciseSpec, Group, Posture
from coach.features import BodyFeatures
from coach.feet import Limbs
from coach.thresholds import (
    BALANCE_NORM_SOURCE,
    BALANCE_STAGE_S,
    BALANCE_TANDEM_MIN_S,
    SINGLE_LEG_TARGET_S,
)
from coach.types import Exercise, FunctionalTest, Hold, HoldEnd, Notice, NoticeKind, Side, Stance, Verdict, View

SHANK_LIFTED = 0.75
"""A leg whose ankle–knee image extent is under this share of the other leg's is bent away from the floor."""
SHANK_DOWN = 0.9
"""A lifted leg whose ankle–knee extent is back over this share of the other leg's is down again (a foot placed
behind the other sits higher in the image from the front, so height alone cannot tell)."""
SHANK_BEHIND = 0.6
"""A foot hidden right behind the other is on the floor while its ankle–knee extent is over this share of the
other leg's (the real model on the rendered tandem stance: 0.74–0.9, farther from the camera; a lifted foot
lost behind the standing leg: 0.24–0.4)."""
SETTLE_SPEED_SHARE_S = 0.12
"""The feet have settled into a stance once the ankles move slower than this share of the height a second."""
UNSTEADY_WINDOW_S = 0.2
"""The body centre's speed (for a large sudden sway) is measured over this long, s."""
STAGES: tuple[Stance, ...] = (Stance.SIDE_BY_SIDE, Stance.SEMI_TANDEM, Stance.TANDEM, Stance.SINGLE_LEG)
"""The 4-stage balance test's stances in order (CDC STEADI)."""


def _shank_px(limbs: Limbs, side: Side) -> float:
    """The ankle's height below the knee in the image, px."""
    knee = limbs.knee_left if side is Side.LEFT else limbs.knee_right
    return limbs.foot(side).ankle[1] - knee[1]


class StanceReader:
    """Per-frame stance reading from both feet (front view), with the hysteresis of a lifted foot."""

    def __init__(self, analyzer: FunctionalAnalyzer) -> None:
        self.a = analyzer
        self.cfg = analyzer.th.stance
        self.lifted: Side | None = None
        self._prev: tuple[float, float, float, float, float] | None = None
        self.speed_share_s = math.nan

    def read(self, f: BodyFeatures) -> tuple[Stance | None, Side | None]:
        """(stance, standing leg) of a frame: None for a stance the test does not use (feet apart), or when
        the feet are not seen."""
        lm = f.limbs
        h = self.a.standing.stature_px
        if not (math.isfinite(h) and h > 0):
            return None, None
        if not (lm.left.visible and lm.right.visible):
            return self._one_foot_hidden(lm, h)
        self._speed(f, h)
        lift_l = (lm.right.floor_y - lm.left.floor_y) / h  # > 0: the left foot is higher
        shank_l, shank_r = _shank_px(lm, Side.LEFT), _shank_px(lm, Side.RIGHT)
        ratio_l = shank_l / shank_r if shank_r > 0 else math.nan
        ratio_r = shank_r / shank_l if shank_l > 0 else math.nan
        c = self.cfg
        for side, lift, ratio in ((Side.LEFT, lift_l, ratio_l), (Side.RIGHT, -lift_l, ratio_r)):
            up = lift > 2 * c.foot_lift_share or (lift > c.foot_down_share and ratio < SHANK_LIFTED)
            stays = self.lifted is side and lift > c.foot_down_share and not ratio > SHANK_DOWN
            if up or stays:
                self.lifted = side
                return Stance.SINGLE_LEG, Side.RIGHT if side is Side.LEFT else Side.LEFT
        self.lifted = None
        lateral = abs(lm.left.ankle[0] - lm.right.ankle[0]) / h
        depth = abs(lift_l)
        if lateral < c.tandem_lateral_share and depth > c.depth_offset_share:
            return Stance.TANDEM, None
        if lateral < c.semi_lateral_share and depth > c.semi_depth_share:
            return Stance.SEMI_TANDEM, None
        if lateral < c.side_by_side_share and depth <= c.semi_depth_share:
            return Stance.SIDE_BY_SIDE, None
        return None, None

    def _one_foot_hidden(self, lm: Limbs, h: float) -> tuple[Stance | None, Side | None]:
        """One foot unseen, as the model often loses a foot behind the other from the front: a lifted foot bent
        behind the standing leg keeps the single-leg stance while the standing foot is seen and the lifted leg's
        shank stays short; a straight leg whose ankle is right behind the other's is heel to toe (tandem)."""
        lifted = self.lifted
        if lifted is not None:
            standing = Side.RIGHT if lifted is Side.LEFT else Side.LEFT
            up, down = _shank_px(lm, lifted), _shank_px(lm, standing)
            if lm.foot(standing).visible and down > 0 and up / down < SHANK_LIFTED:
                return Stance.SINGLE_LEG, standing
            self.lifted = None
            return None, None
        shank_l, shank_r = _shank_px(lm, Side.LEFT), _shank_px(lm, Side.RIGHT)
        straight = shank_l > 0 and shank_r > 0 and min(shank_l, shank_r) / max(shank_l, shank_r) > SHANK_BEHIND
        lateral = abs(lm.left.ankle[0] - lm.right.ankle[0]) / h
        if (lm.left.visible or lm.right.visible) and straight and lateral < self.cfg.tandem_lateral_share:
            return Stance.TANDEM, None
        return None, None

    def _speed(self, f: BodyFeatures, h: float) -> None:
        lm = f.limbs
        now = (f.timestamp_s, lm.left.ankle[0], lm.left.ankle[1], lm.right.ankle[0], lm.right.ankle[1])
        if self._prev is not None and now[0] > self._prev[0]:
            dt = now[0] - self._prev[0]
            d = max(math.hypot(now[1] - self._prev[1], now[2] - self._prev[2]),
                    math.hypot(now[3] - self._prev[3], now[4] - self._prev[4]))
            self.speed_share_s = d / h / dt
        self._prev = now


def reaching_for_support(f: BodyFeatures, stature_px: float, share: float) -> bool:
    """A hand far out to the side (more than `share` of the height from the hips) and below the shoulders."""
    lm = f.limbs
    torso = lm.hip[1] - lm.shoulder[1]
    for w in (lm.wrist_left, lm.wrist_right):
        if math.isfinite(w[0]) and abs(w[0] - lm.hip[0]) > share * stature_px and w[1] > lm.shoulder[1] + 0.1 * torso:
            return True
    return False


class HoldAnalyzer(FunctionalAnalyzer):
    """Shared by the single-leg stand and the balance test: reads stances and times holds."""

    best_view: ClassVar[View] = View.FRONT
    target_s: ClassVar[float | None] = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reader = StanceReader(self)
        target = self.setup.target_s if self.setup.target_s is not None else self.target_s
        self.timer = HoldTimer(self.th.stance.min_state_s, target)
        self._hips: list[tuple[float, float, float]] = []
        self._settled_s = math.nan
        self._moving = True
        self._still_s = math.nan
        self._last_step_ok_s = math.nan
        self._anchor: dict[Side, tuple[float, float]] = {}
        self.unsteady_s: list[float] = []
        """When a large sudden sway was seen in a hold, s (one per hold)."""

    def expected(self) -> Stance | None:
        """The stance asked for now (None: any test stance)."""
        return None

    def reading(self, f: BodyFeatures) -> HoldReading | None:
        """The hold engine's reading of a frame."""
        stance, leg = self.reader.read(f)
        h = self.standing.stature_px
        if stance is None and not f.limbs.left.visible and not f.limbs.right.visible:
            return None
        speed = self.reader.speed_share_s
        if math.isfinite(speed):
            if speed < SETTLE_SPEED_SHARE_S and self._moving:
                self._moving, self._still_s = False, f.timestamp_s
            elif speed >= SETTLE_SPEED_SHARE_S:
                self._moving = True
        want = self.expected()
        holding = stance is not None and (want is None or stance is want)
        if holding and math.isfinite(h) and reaching_for_support(f, h, self.th.stance.support_reach_share):
            return HoldReading(False, stance, leg, HoldEnd.SUPPORT)  # type: ignore[arg-type]
        if self.timer.holding and holding and math.isfinite(h):
            moved = self._moved_share(f)
            if moved > self.th.stance.step_share:
                return HoldReading(False, stance, leg, HoldEnd.STEPPED, since_s=self._last_step_ok_s)  # type: ignore[arg-type]
            if moved < self.th.stance.step_share / 4:
                self._last_step_ok_s = f.timestamp_s
        if not self.timer.holding:
            self._anchor = {}
        if holding:
            # Two feet down: the hold starts once they stop moving into the stance; one foot up: as it leaves.
            settled = self._still_s if not self._moving and stance is not Stance.SINGLE_LEG else math.nan
            return HoldReading(True, stance, leg, settled_s=settled)  # type: ignore[arg-type]
        cause = HoldEnd.FOOT_DOWN if self.timer.stance is Stance.SINGLE_LEG else HoldEnd.STEPPED
        return HoldReading(False, stance or Stance.SIDE_BY_SIDE, leg, cause)

    def _moved_share(self, f: BodyFeatures) -> float:
        """How far a seen foot on the floor moved since it was first seen in the hold, share of the height (a
        foot hidden behind the other is not judged: its estimated ankle wanders)."""
        lm = f.limbs
        h = self.standing.stature_px
        moved = 0.0
        for side in (Side.LEFT, Side.RIGHT):
            foot = lm.foot(side)
            if side is self.reader.lifted or not foot.visible:
                continue
            anchor = self._anchor.setdefault(side, foot.ankle)
            moved = max(moved, math.hypot(foot.ankle[0] - anchor[0], foot.ankle[1] - anchor[1]) / h)
        return moved

    def step(self, f: BodyFeatures) -> FrameResult:
        reading = self.reading(f) if f.detected and self.standing.known else None
        ended = self.timer.update(f.timestamp_s, reading)
        if ended is not None:
            self._close(ended)
        if self.timer.holding and f.detected:
            self._hips.append((f.timestamp_s, *f.limbs.hip))
            if not self.paused and self.sway_speed_cm_s() > self.th.stance.unsteady_sway_cm_s:
                self.paused = True  # live: no cheering on; the page says so until the next hold starts
                self.unsteady_s.append(f.timestamp_s)
        elif not self.timer.holding and reading is not None and reading.holding:
            self.paused = False
        elapsed = self.timer.elapsed_s(f.timestamp_s)
        angles = {"hold_s": elapsed} if self.timer.holding else {}
        return self.result(f, Phase.DEEP if self.timer.holding else Phase.REST, len(self.holds), elapsed, angles)

    def sway_speed_cm_s(self) -> float:
        """The hips' speed over the last UNSTEADY_WINDOW_S of the hold under way, cm/s (NaN: too few frames)."""
        rows = self._hips
        if len(rows) < 2:
            return math.nan
        t, x, y = rows[-1]
        first = next(r for r in rows if r[0] >= t - UNSTEADY_WINDOW_S)
        dt = t - first[0]
        if dt <= 0:
            return math.nan
        return math.hypot(x - first[1], y - first[2]) / dt * self.cm_per_px()

    def notices(self, view: View) -> list[Notice]:
        out = super().notices(view)
        if self.unsteady_s:
            at = ", ".join(f"{t:.0f} s" for t in self.unsteady_s)
            out.append(Notice(NoticeKind.UNSTEADY, f"You looked unsteady (a large, sudden sway) at {at}. Keep a "
                                                   "chair or a counter within reach, and ask your physiotherapist "
                                                   "before making the stance harder."))
        return out

    def _close(self, hold: Hold) -> None:
        """A hold ended: add its sway (cm) and keep it."""
        rows = [r for r in self._hips if hold.start_s <= r[0] <= hold.end_s]
        self._hips = []
        metrics = sway_metrics(rows, self.cm_per_px())
        self.holds.append(Hold(index=len(self.holds) + 1, stance=hold.stance, leg=hold.leg, start_s=hold.start_s,
                               end_s=hold.end_s, ended_by=hold.ended_by, metrics=metrics))
        self.on_hold(self.holds[-1])

    def on_hold(self, hold: Hold) -> None:
        """A hold was kept (the balance test moves to its next stage)."""

    def conclude(self) -> FunctionalTest | None:
        ended = self.timer.finish()
        if ended is not None:
            self._close(ended)
        return self.score()

    def score(self) -> FunctionalTest | None:
        """The test result (None for training holds)."""
        return None


def sway_metrics(rows: list[tuple[float, float, float]], cm_per_px: float) -> dict[str, float]:
    """Sway of the hips over a hold, cm: its RMS and range across the image (sideways, seen from the front), and
    its trend: the second half's RMS minus the first half's, cm."""
    if len(rows) < 4 or not math.isfinite(cm_per_px):
        return {}
    t = np.array([r[0] for r in rows])
    x = smoothed(t, [r[1] for r in rows]) * cm_per_px
    x = x[np.isfinite(x)]
    if x.size < 4:
        return {}
    d = x - x.mean()
    half = d.size // 2
    rms = float(np.sqrt(np.mean(d ** 2)))
    first, second = x[:half] - x[:half].mean(), x[half:] - x[half:].mean()
    trend = float(np.sqrt(np.mean(second ** 2)) - np.sqrt(np.mean(first ** 2)))
    return {"sway_cm": rms, "sway_range_cm": float(d.max() - d.min()), "sway_trend_cm": trend}


class SingleLegStandAnalyzer(HoldAnalyzer):
    """Single-leg holds per leg toward a target time (30 s by default)."""

    exercise: ClassVar[Exercise] = Exercise.SINGLE_LEG_STAND
    target_s: ClassVar[float | None] = SINGLE_LEG_TARGET_S

    def expected(self) -> Stance | None:
        return Stance.SINGLE_LEG


class BalanceTestAnalyzer(HoldAnalyzer):
    """The 4-stage balance test: each stance in turn, 10 s each; the test stops at the first stance not held."""

    exercise: ClassVar[Exercise] = Exercise.BALANCE_TEST
    target_s: ClassVar[float | None] = BALANCE_STAGE_S

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.stage = 0
        self.stopped = False

    def expected(self) -> Stance | None:
        return STAGES[self.stage] if self.stage < len(STAGES) else None

    def reading(self, f: BodyFeatures) -> HoldReading | None:
        if self.stopped or self.stage >= len(STAGES):
            return None
        return super().reading(f)

    def on_hold(self, hold: Hold) -> None:
        if hold.ended_by is HoldEnd.TARGET_REACHED:
            self.stage += 1
        else:
            self.stopped = True

    def score(self) -> FunctionalTest | None:
        held = [h for h in self.holds if h.ended_by is HoldEnd.TARGET_REACHED]
        tandem = next((h for h in self.holds if h.stance is Stance.TANDEM), None)
        if tandem is None and not self.stopped and self.stage < STAGES.index(Stance.TANDEM):
            verdict = Verdict.NOT_RATED  # the test did not get to the tandem stance
        elif tandem is None or tandem.duration_s < BALANCE_TANDEM_MIN_S - 1e-6:
            verdict = Verdict.HIGHER_FALL_RISK
        else:
            verdict = Verdict.NO_ADDED_RISK
        return FunctionalTest("balance_test", len(held), "stages",
                              {"tandem_min_s": BALANCE_TANDEM_MIN_S, "source": BALANCE_NORM_SOURCE}, verdict)


HOLD_WORDS = {"hold_s": "Time held", "sway_cm": "Sway", "sway_range_cm": "Sway from side to side",
              "sway_trend_cm": "Sway change during the hold", "tandem_min_s": "Heel-to-toe time needed"}

SINGLE_LEG_SPEC = ExerciseSpec(
    exercise=Exercise.SINGLE_LEG_STAND,
    name="single-leg stand",
    title="Single-leg stand (balance, film from the front)",
    group=Group.TEST,
    posture=Posture.STANDING,
    signal_words="time held (s)",
    counter=lambda th: NO_BAND,
    analyzer=SingleLegStandAnalyzer,
    words=HOLD_WORDS,
    columns=(),
)

BALANCE_TEST_SPEC = ExerciseSpec(
    exercise=Exercise.BALANCE_TEST,
    name="4-stage balance test",
    title="4-stage balance test (film from the front)",
    group=Group.TEST,
    posture=Posture.STANDING,
    signal_words="time held (s)",
    counter=lambda th: NO_BAND,
    analyzer=BalanceTestAnalyzer,
    words=HOLD_WORDS,
    columns=(),
)
