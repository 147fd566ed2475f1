"""Heel drops (impact): rise onto the toes and drop onto the heels; impacts counted toward 50 a day.

The heel lift is the ankle's height above the toes (from the side) or the ankles' rise in the image (from the
front or back, where the foot is foreshortened), each less its flat-foot value, as a share of the person's
standing height. An impact is counted when the lift falls back below `down_share` after reaching `up_share`.
A sudden drop is the point; bent knees or a falling trunk at the landing are flagged, read from the hips' and
shoulders' heights against standing (view-independent).
"""

from __future__ import annotations

import math
from typing import ClassVar

from coach.counter import Phase
from coach.exercises.base import FrameResult, RollingMedian
from coach.exercises.chair_stand import knee_bend_from_height_deg
from coach.exercises.functional_base import NO_BAND, FunctionalAnalyzer
from coach.exercises.spec import ExerciseSpec, Posture
from coach.features import BodyFeatures
from coach.thresholds import HEEL_DROP_DAILY_TARGET
from coach.types import Exercise, FormWarning, FunctionalTest, Rep, Verdict, View, WarningKind

LANDING_S = 0.35
"""The landing is judged over this many seconds after the heels come down, s."""
FLAT_S = 1.0
"""The flat-foot ankle height is the median over this long while the heels are down, s."""
CUE_KNEES = "Land with straight, soft knees: let your heels drop, not your knees bend."
CUE_TRUNK = "Keep your chest up and tall as your heels land."


class HeelDropAnalyzer(FunctionalAnalyzer):
    """Counts heel drops and checks each landing."""

    exercise: ClassVar[Exercise] = Exercise.HEEL_DROP

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.cfg = self.th.heel_drop
        self._flat = RollingMedian(FLAT_S, min_count=3)
        self._flat_px = math.nan
        self._flat_rise = RollingMedian(FLAT_S, min_count=3)
        self._flat_rise_px = math.nan
        self._up = False
        self._since = math.nan
        self._pending = False
        self._rise_s = math.nan
        self._landing: tuple[float, float] | None = None
        """(impact s, rise start s) while the landing is judged."""
        self._worst = (0.0, 0.0)
        """The worst knee bend and trunk lean of the landing so far, degrees."""

    def _lift_px(self, f: BodyFeatures) -> float:
        lifts = [ft.lift_px for ft in (f.limbs.left, f.limbs.right) if math.isfinite(ft.lift_px)]
        return max(lifts) if lifts else math.nan

    def _ankle_height_px(self, f: BodyFeatures) -> float:
        """How high the ankles are in the image (minus their mean y), px: they rise with the heels."""
        ys = [ft.ankle[1] for ft in (f.limbs.left, f.limbs.right) if ft.visible and math.isfinite(ft.ankle[1])]
        return -sum(ys) / len(ys) if ys else math.nan

    def lift_share(self, f: BodyFeatures) -> float:
        """The heel lift as a share of the standing height (0 flat), NaN when not seen: the ankle's height above
        the toes (clear from the side) or, filmed from the front or back (the view seen most so far), where the
        foot is foreshortened, the ankles' rise in the image; each against its own flat-foot value."""
        stature = self.standing.stature_px
        if not (math.isfinite(stature) and stature > 0):
            return math.nan
        shape = self._against_flat(self._lift_px(f), f.timestamp_s, stature, rise=False)
        rise = self._against_flat(self._ankle_height_px(f), f.timestamp_s, stature, rise=True)
        return rise if self.view() in (View.FRONT, View.REAR) else shape

    def _against_flat(self, raw: float, t: float, stature: float, rise: bool) -> float:
        """`raw` (px) above its flat-foot value, share of the height; heels down: the flat value is learnt."""
        if not math.isfinite(raw):
            return math.nan
        median, flat = (self._flat_rise, self._flat_rise_px) if rise else (self._flat, self._flat_px)
        if not self._up and (math.isnan(flat) or raw < flat + self.cfg.down_share * stature):
            held = median.push(t, raw)  # heels down: learn the flat-foot value
            flat = held if math.isfinite(held) else raw
            if rise:
                self._flat_rise_px = flat
            else:
                self._flat_px = flat
        return (raw - flat) / stature

    def step(self, f: BodyFeatures) -> FrameResult:
        lift = self.lift_share(f) if f.detected else math.nan
        rep = self._judge_landing(f)
        if math.isfinite(lift):
            rep = self._track(f.timestamp_s, lift) or rep
        cm = lift * self.standing.stature_px * self.cm_per_px() if math.isfinite(lift) else math.nan
        angles = {"heel_lift_cm": cm} if math.isfinite(cm) else {}
        return self.result(f, Phase.DEEP if self._up else Phase.REST, len(self._reps), cm, angles, rep)

    def _track(self, t: float, lift: float) -> Rep | None:
        c = self.cfg
        if not self._up and lift <= c.down_share:
            self._rise_s = t
        want = lift >= c.up_share if not self._up else lift < c.down_share
        if not want:
            self._pending = False
            return None
        if not self._pending:
            self._pending, self._since = True, t
        if t - self._since < c.min_phase_s - 1e-9 and not self._up:
            return None
        self._pending = False
        self._up = not self._up
        if not self._up:  # heels down: an impact
            self._landing = (self._since, self._rise_s)
            self._worst = (0.0, 0.0)
        return None

    def _judge_landing(self, f: BodyFeatures) -> Rep | None:
        if self._landing is None:
            return None
        impact, start = self._landing
        if f.detected:
            bend = knee_bend_from_height_deg(self.standing.hip_ratio(f))
            trunk = self._trunk_lean_deg(f)
            self._worst = (max(self._worst[0], bend if math.isfinite(bend) else 0.0),
                           max(self._worst[1], trunk if math.isfinite(trunk) else 0.0))
        if f.timestamp_s - impact < LANDING_S:
            return None
        self._landing = None
        bend, trunk = self._worst
        warnings = []
        if bend > self.cfg.bent_knee_deg:
            warnings.append(FormWarning(WarningKind.BENT_KNEES, impact, bend, self.cfg.bent_knee_deg, "deg",
                                        f"Your knees bent about {bend:.0f}° as you landed.", CUE_KNEES))
        if trunk > self.cfg.trunk_drop_deg:
            warnings.append(FormWarning(WarningKind.TRUNK_DROP, impact, trunk, self.cfg.trunk_drop_deg, "deg",
                                        f"Your trunk dropped forward about {trunk:.0f}° as you landed.", CUE_TRUNK))
        rep = Rep(index=len(self._reps) + 1, start_s=start if math.isfinite(start) else impact, end_s=impact,
                  complete=True, metrics={"knee_flexion_deg": bend, "trunk_from_vertical_deg": trunk},
                  warnings=tuple(warnings))
        self._reps.append(rep)
        return rep

    def _trunk_lean_deg(self, f: BodyFeatures) -> float:
        """Trunk lean from the vertical implied by the torso's height against standing, degrees."""
        st = self.standing
        if not st.known:
            return math.nan
        torso = f.limbs.hip[1] - f.limbs.shoulder[1]
        standing = st.shoulder_px - st.hip_px
        if not (math.isfinite(torso) and standing > 0):
            return math.nan
        return math.degrees(math.acos(max(-1.0, min(1.0, torso / standing))))

    def conclude(self) -> FunctionalTest | None:
        if self._landing is not None:
            impact, start = self._landing
            self._reps.append(Rep(index=len(self._reps) + 1, start_s=start if math.isfinite(start) else impact,
                                 end_s=impact, complete=True))
            self._landing = None
        n = len(self._reps)
        verdict = Verdict.TARGET_REACHED if n >= HEEL_DROP_DAILY_TARGET else Verdict.BELOW_TARGET
        return FunctionalTest("heel_drops", n, "impacts", {"daily_target": HEEL_DROP_DAILY_TARGET}, verdict)


SPEC = ExerciseSpec(
    exercise=Exercise.HEEL_DROP,
    name="heel drop",
    title="Heel drops (impact)",
    counted_as=("heel drop", "heel drops"),
    harder="add a few more drops, spread over the day",
    posture=Posture.STANDING,
    signal_words="heel lift (cm)",
    counter=lambda th: NO_BAND,
    analyzer=HeelDropAnalyzer,
    words={"heel_lift_cm": "Heel lift", "knee_flexion_deg": "Knee bend",
           "trunk_from_vertical_deg": "Trunk lean"},
    columns=("knee_flexion_deg", "trunk_from_vertical_deg"),
)
