"""30-second chair stand (CDC STEADI) and plain sit-to-stand, counted on the person's own standing heights.

A stand counts when the hips *and* shoulders reach `stood_ratio` of their standing heights above the ankles
(knees and hips extended; a level camera never foreshortens a vertical extent, so front and side views both
work); the person is back down once the hips drop below `seated_ratio`. In the timed test only stands that reach
full extension within 30 s of "Go" count; "Go" is given (the live page says it) or, in a review, the start of
the first rise. Hands coming down to the thighs or the seat during a rise are flagged (arms push off).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import ClassVar

from coach.counter import Phase
from coach.exercises.base import FrameResult
from coach.exercises.functional_base import NO_BAND, FunctionalAnalyzer
from coach.exercises.spec import ExerciseSpec, Group, Load, Posture
from coach.features import BodyFeatures
from coach.thresholds import CHAIR_STAND_NORM_SOURCE, CHAIR_STAND_NORMS, CHAIR_STAND_TEST_S
from coach.types import Exercise, FormWarning, FunctionalTest, Rep, Side, Verdict, WarningKind

WARMUP_MAX_S = 6.0
"""Frames are held back at most this long while the standing heights are learned, s."""
CUE_ARMS = "Keep your arms crossed on your chest and stand up with your legs alone."
CUE_LATE = "Only stands finished within the 30 seconds count."


def knee_bend_from_height_deg(ratio: float) -> float:
    """Knee bend implied by the hips' height as a share of standing (thigh and shank sharing it), degrees."""
    return 2.0 * math.degrees(math.acos(max(-1.0, min(1.0, ratio)))) if math.isfinite(ratio) else math.nan


def chair_stand_norm(age: int | None, sex: Side | str | None) -> tuple[str, int] | None:
    """(age band, below-average threshold) for an age (years) and sex ("male"/"female"), or None."""
    if age is None or sex is None:
        return None
    for (lo, hi), (men, women) in CHAIR_STAND_NORMS.items():
        if lo <= age <= hi:
            return f"{lo}-{hi}", men if str(sex).lower() in ("male", "m", "man") else women
    return None


class ChairStandAnalyzer(FunctionalAnalyzer):
    """The 30-second chair stand (`timed`) or a plain sit-to-stand set (every full stand counts)."""

    exercise: ClassVar[Exercise] = Exercise.CHAIR_STAND
    timed: ClassVar[bool] = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.go_s = self.setup.go_s
        self.awaiting_go = False
        """Live: "Go" is still to be said (`call_go`); no stand counts until it is."""
        self.age, self.sex = self.setup.age, self.setup.sex
        self.cfg = self.th.stand
        self._down = False
        """Seated (or on the way up); a recording that opens standing is not a stand until the person sat."""
        self._since = math.nan
        self._pending: bool | None = None
        self._rise_start = math.nan
        self._last_down_s = math.nan
        self._widest_reach = -math.inf
        self._stood_s = math.nan
        self.late = 0
        self._warm: list[BodyFeatures] | None = []
        self._warm_low = math.inf
        self._seat = math.inf
        """The lowest hip height share of this sitting (on the seat)."""
        self._up: list[tuple[float, float, float]] = []
        """(time s, hip ratio, shoulder ratio) since the stand passed `stood_ratio`."""

    def wait_for_go(self) -> None:
        """Live: a "Go" will be said; until `call_go`, no stand counts (none is taken as the start)."""
        self.awaiting_go = self.go_s is None

    def call_go(self, go_s: float) -> None:
        """Live: "Go" was said at `go_s` (s of video time): the 30 s run from here."""
        self.go_s, self.awaiting_go = go_s, False

    @property
    def count(self) -> int:
        """Stands counted so far."""
        return sum(r.complete for r in self._reps)

    def update(self, features: BodyFeatures) -> FrameResult:
        """Consume one frame. A recording may open seated, before the standing heights are known: frames are
        held back until a rise to standing has been seen (the hips up by 1/`seated_ratio`) or WARMUP_MAX_S
        passed, then judged in order against the heights learned (their results arrive with that frame)."""
        if self._warm is None:
            return super().update(features)
        self._warm.append(features)
        if features.detected:
            self.standing.learn(features)
            h = features.limbs.hip_height_px
            if math.isfinite(h) and h > 0:
                self._warm_low = min(self._warm_low, h)
        risen = self.standing.known and self.standing.hip_px * self.cfg.seated_ratio > self._warm_low
        if not risen and features.timestamp_s - self._warm[0].timestamp_s < WARMUP_MAX_S:
            return self.result(features, Phase.REST, 0, math.nan, {})
        frames, self._warm = self._warm, None
        results = [super(ChairStandAnalyzer, self).update(f) for f in frames]
        rep = next((r.rep for r in reversed(results) if r.rep is not None), None)
        return replace(results[-1], rep=rep)

    def _wrist_share(self, f: BodyFeatures) -> float:
        """The farther wrist's distance from its shoulder, as a share of the torso length: arms crossed on the
        chest keep it near 0.6, an arm reaching down to push on the thighs or the seat stretches it past 0.9."""
        lm = f.limbs
        torso = math.dist(lm.hip, lm.shoulder)
        reach = [math.dist(w, lm.shoulder) for w in (lm.wrist_left, lm.wrist_right) if math.isfinite(w[0])]
        return max(reach) / torso if reach and torso > 0 else math.nan

    def step(self, f: BodyFeatures) -> FrameResult:
        hip = self.standing.hip_ratio(f) if f.detected else math.nan
        shoulder = self.standing.shoulder_ratio(f) if f.detected else math.nan
        bend = knee_bend_from_height_deg(hip)
        rep = None
        if math.isfinite(hip) and math.isfinite(shoulder):
            rep = self._track(f, hip, shoulder)
        angles = {"knee_flexion_deg": bend} if math.isfinite(bend) else {}
        phase = Phase.REST if self._down else Phase.DEEP
        return self.result(f, phase, self.count, bend, angles, rep)

    def _track(self, f: BodyFeatures, hip: float, shoulder: float) -> Rep | None:
        t = f.timestamp_s
        c = self.cfg
        if self._down:
            if hip < c.seated_ratio:
                self._seat = min(self._seat, hip)
            if hip <= self._seat + c.extension_tolerance:
                self._last_down_s = t  # still on the seat: the rise starts after this
            if math.isnan(self._rise_start) and hip >= c.seated_ratio and math.isfinite(self._last_down_s):
                self._rise_start = self._last_down_s
            if not math.isnan(self._rise_start):
                self._widest_reach = max(self._widest_reach, self._wrist_share(f))
            want = hip >= c.stood_ratio and shoulder >= c.stood_ratio
        else:
            want = hip < c.seated_ratio
        if not self._down:
            self._up.append((t, hip, shoulder))
        if not want:
            self._pending = None
            if self._down and hip <= self._seat + c.extension_tolerance:
                self._rise_start, self._widest_reach = math.nan, -math.inf
            return None
        if self._pending is None:
            self._pending, self._since = True, t
        if t - self._since < c.min_phase_s - 1e-9:
            return None
        self._pending = None
        if self._down:
            self._down = False
            self._stood_s = self._since
            self._up = [(t, hip, shoulder)]
            return None
        self._down = True
        self._seat = math.inf
        if math.isnan(self._stood_s):
            self._last_down_s = self._since
            return None  # sat down from the standing start: no stand yet
        return self._close(self._since)

    def _close(self, end_s: float) -> Rep | None:
        """A stand is over (back seated at `end_s`, s): list it."""
        self._stood_s = self._extended_s()
        start = self._rise_start if math.isfinite(self._rise_start) else self._stood_s
        early = self.timed and self.awaiting_go  # live, before "Go"
        if self.timed and self.go_s is None and not early:
            self.go_s = start  # no "Go" given: the test starts with the first rise
        stood = self._stood_s
        go = self.go_s if self.go_s is not None else start
        in_time = not self.timed or (not early and go - 1e-9 <= stood <= go + CHAIR_STAND_TEST_S + 1e-9)
        warnings: list[FormWarning] = []
        share = self._widest_reach
        if math.isfinite(share) and share > self.cfg.arm_push_reach_share:
            warnings.append(FormWarning(WarningKind.ARM_PUSH, stood, share, self.cfg.arm_push_reach_share,
                                        "torso", "Your hands came down to push off.", CUE_ARMS))
        if self.timed and stood > go + CHAIR_STAND_TEST_S:
            self.late += 1
            warnings.append(FormWarning(WarningKind.AFTER_TIME_LIMIT, stood, stood - (self.go_s or 0.0),
                                        CHAIR_STAND_TEST_S, "s", "This stand finished after the 30 seconds.",
                                        CUE_LATE))
        metrics = {"stood_at_s": stood - (self.go_s or 0.0) if self.timed else stood, "rise_s": stood - start}
        rep = Rep(index=len(self._reps) + 1, start_s=start, end_s=end_s, complete=in_time, metrics=metrics,
                  warnings=tuple(warnings))
        self._reps.append(rep)
        self._rise_start, self._widest_reach, self._stood_s = math.nan, -math.inf, math.nan
        return rep

    def _extended_s(self) -> float:
        """When the stand reached full extension, s: the first time the hips and the shoulders were each within
        `extension_tolerance` of their highest in this stand (a rise slows near the top)."""
        up = [u for u in self._up if u[0] <= self._since or not self._down]
        if not up:
            return self._stood_s
        tol = self.cfg.extension_tolerance
        hip_top = max(h for _, h, _ in up)
        sh_top = max(s for _, _, s in up)
        t_hip = next(t for t, h, _ in up if h >= hip_top - tol)
        t_sh = next(t for t, _, s in up if s >= sh_top - tol)
        return max(t_hip, t_sh, self._stood_s)

    def conclude(self) -> FunctionalTest | None:
        if not self._down and math.isfinite(self._stood_s):
            self._close(self._stood_s)  # the clip ended standing: that stand reached full extension
        if not self.timed:
            return None
        score = self.count
        norm = chair_stand_norm(self.age, self.sex)
        if norm is None:
            return FunctionalTest("chair_stand", score, "stands", None, Verdict.NOT_RATED)
        band, below = norm
        verdict = Verdict.BELOW_AVERAGE if score < below else Verdict.AVERAGE_OR_BETTER
        return FunctionalTest("chair_stand", score, "stands",
                              {"age_band": band, "sex": str(self.sex), "below_average_under": below,
                               "source": CHAIR_STAND_NORM_SOURCE}, verdict)


class SitToStandAnalyzer(ChairStandAnalyzer):
    """Plain sit-to-stand, counted toward 8–12-rep sets like the other exercises (no clock)."""

    exercise: ClassVar[Exercise] = Exercise.SIT_TO_STAND
    timed: ClassVar[bool] = False


STAND_WORDS = {"knee_flexion_deg": "Knee bend", "stood_at_s": "Stood up at", "rise_s": "Time to stand up"}

SPEC = ExerciseSpec(
    exercise=Exercise.CHAIR_STAND,
    name="30-second chair stand",
    title="30-second chair stand test (film from the side)",
    group=Group.TEST,
    counted_as=("stand", "stands"),
    posture=Posture.STANDING,
    signal_words="knee bend from the hips' height (°)",
    counter=lambda th: NO_BAND,
    analyzer=ChairStandAnalyzer,
    words=STAND_WORDS,
    columns=("stood_at_s", "rise_s"),
)

SIT_TO_STAND_SPEC = ExerciseSpec(
    exercise=Exercise.SIT_TO_STAND,
    name="sit to stand",
    title="Sit to stand (from a chair)",
    load=Load.OPTIONAL_WEIGHT,
    harder="use a lower chair, or sit down more slowly",
    posture=Posture.STANDING,
    signal_words="knee bend from the hips' height (°)",
    counter=lambda th: NO_BAND,
    analyzer=SitToStandAnalyzer,
    words=STAND_WORDS,
    columns=("rise_s",),
)
