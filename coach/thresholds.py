"""The thresholds that decide what the coach counts and flags, with units in the names and a source for each:
spine and movement limits, each exercise's counter band, hold timing, strictness presets, set targets.

The analyzers' internal constants (smoothing windows, warm-up spans, rest references) live next to the code that
uses them, each with its unit in the name and a docstring; they shape a measurement rather than a judgement.

No published degree threshold for "unsafe" spinal flexion in osteoporosis exists. Posture standards give
anchors: ISO 11226 / EN 1005-4 call trunk inclination 0–20° neutral and twisting > 10° clearly visible.
Spine thresholds are therefore *relative to the person's own calibrated neutral* (captured in the ready
posture), and come in three strictness presets. Counting thresholds were set on the shared real clips
(`coach eval`) and on synthetic clips with exact truth (`coach accuracy`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Strictness(StrEnum):
    """How early the coach warns. GENTLE warns least, STRICT earliest."""

    GENTLE = "gentle"
    STANDARD = "standard"
    STRICT = "strict"


@dataclass(frozen=True, slots=True)
class SpineThresholds:
    """Spine-safety thresholds, relative to the calibrated neutral.

    Sources: twist > 10° is "clearly visible" (ISO 11226); flexion and extension limits are set
    relative to neutral because no clinical degree limit exists (Too Fit To Fracture advises avoiding
    end-range, loaded, rapid or repeated flexion and twisting).
    """

    spinal_flexion_deg: float = 12.0
    """Rounding beyond neutral (silhouette estimate, degrees via `bulge_to_flexion_deg`) that earns a warning.
    Set on the shared side-view deadlifts (`coach eval`): rounded-back clips peaked at 12–35°, neutral-back
    clips at ≤ 10°; low because osteoporosis guidance is to avoid loaded flexion altogether."""
    twist_deg: float = 15.0
    """Shoulder line vs hip line beyond neutral (ISO 11226: > 10° clearly visible; margin for noise)."""
    twist_image_deg: float = 10.0
    """Shoulder line turned against the hip line in the image since the rep's rest, front/rear views
    (`image_twist_deg`). ISO 11226: twist > 10° is clearly visible. No extra margin because the image reading
    is a lower bound (only the in-plane part of the turn shows): synthetic front squat, 20° true twist at the
    bottom read 11.5°, good reps ≤ 3.4° (`coach synth`, sample_videos/squat_twist_front_5reps)."""
    twist_floor_tilt_deg: float = 10.0
    """On all fours filmed from the head or the feet end: the hip line or the shoulder line tilted against the
    floor (the image horizontal) beyond its own tilt at rest, degrees (a hip rolling open as the leg lifts).
    ISO 11226: twist > 10° is clearly visible. Stick-figure floor run: 20° pelvis rolls read 17–20°, good
    reaches ≤ 3°."""
    lumbar_hyperextension_deg: float = 15.0
    """Extension beyond the calibrated lockout / peak range."""
    neck_extension_deg: float = 25.0
    """Head cranked back relative to the trunk line beyond neutral (back extension)."""
    world_twist_margin_deg: float = 10.0
    """Extra margin on `twist_deg` when twist is read from 3-D world landmarks (side and oblique views of standing
    lifts; `check_twist`). Synthetic accuracy matrix: world twist at limit 15° false-alarmed on 8/56 good deadlift
    reps; good side-view samples read 6–9°. Lying or on all fours it is not used at all (read −22°/+18° at a
    bird-dog peak with 0° true, 38° MAE in supermans)."""
    bulge_to_flexion_deg: float = 800.0
    """Calibration, not a limit: degrees of spinal flexion per unit of silhouette back bulge. From `coach synth`
    clips with exact truth (side view, 15 fps): deadlift 40° of rounding raised the bulge at the bottom from
    ≈ 0.006 to ≈ 0.055 (fit 720°/unit, r = 0.96), squat 30° (fit 930°/unit, r = 0.90)."""
    default_neutral_bulge: float = 0.02
    """Calibration, not a limit: typical back bulge of a neutral spine bent over; the baseline when no
    neutral was captured, and the floor under a captured standing neutral (real neutral-back deadlifts
    on the shared clips read ≈ 0.00–0.03 at the bottom)."""
    max_neutral_bulge: float = 0.04
    """Quality gate, not a limit: a captured standing neutral that bulges more than this (32° at 800°/unit)
    has arms, hands or a bar in the back contour, not a neutral spine; the baseline is capped here. On the
    shared deadlifts captured neutrals read 0.00–0.04 except where the hands or bar showed (0.06–0.09)."""
    flexion_min_trunk_deg: float = 25.0
    """Back rounding is judged only while the trunk leans at least this far from the vertical (standing
    frames show arms, hands or a bar behind the back rather than the spine)."""
    max_plausible_bulge: float = 0.12
    """Quality gate, not a limit: a back bulge above this is a mask artefact (arms, bar, rack), not a spine;
    rounded backs read 0.05–0.06 (40° on synthetic clips, rounded real deadlifts)."""
    flexion_min_duration_s: float = 0.2
    """Rounding must hold at least this long (seconds) to count, so one-frame mask glitches do not."""
    twist_min_duration_s: float = 0.3
    """A twist must hold at least this long (seconds) to count: the verdict then does not hang on which frames
    the sampler saw (one-frame landmark flips between 15 and 30 analysed frames a second)."""
    twist_max_plausible_deg: float = 45.0
    """Quality gate, not a limit: a shoulder-against-hip turn beyond this (degrees from neutral) is a
    measurement failure, not a movement (the trunk's whole axial rotation range is about 35–45°; a side view
    read 72° on a straight deadlift). Such frames are dropped; a rep with too few left is not judged."""
    min_judged_share: float = 0.5
    """A rep's twist or lean is judged only when at least this share of its frames gave a plausible value."""
    lean_back_min_duration_s: float = 0.2
    """Leaning back at lockout must hold at least this long (seconds) to count."""
    lean_back_max_plausible_deg: float = 45.0
    """Quality gate, not a limit: a trunk more than this behind the legs at lockout (degrees) is a landmark
    failure (a flipped facing, an arm taken for the trunk), not a lean; such frames are dropped."""
    camera_roll_max_deg: float = 20.0
    """Quality gate: a camera roll read from the legs at a lift's top beyond ±this (degrees) is not believed
    (the knees were bent); no roll correction is made then."""


@dataclass(frozen=True, slots=True)
class MovementThresholds:
    """Tempo and control thresholds (guidance: no rapid or jerky spinal movement)."""

    rapid_phase_s: float = 0.45
    """Back extension: a lift or lowering quicker than this is "rapid", seconds (its depth signal is the back's
    own movement)."""
    rapid_trunk_deg_per_s: float = 200.0
    """Squat and hip hinge: the trunk tipping forwards or back faster than this is "rapid", degrees per second
    (its lean's change over 0.3 s; guidance: no rapid or jerky spinal movement). The knees' speed is not used: a
    brisk bodyweight squat bends the knees fast with a steady trunk. A controlled hinge (about 2 s each way,
    70°) moves the trunk at 35–55°/s, an 80° hinge in 0.5 s at about 215°/s. Shared clips (`coach eval`, tune
    half): good reps peaked at ≤ 177°/s (the fastest are 1-s bodyweight squats, kaiakol_correct_012); the
    shared clips hold no rep labelled rapid."""
    trunk_lean_max_plausible_deg: float = 110.0
    """Quality gate, not a limit: a trunk lean from the vertical beyond this (degrees; a deep good-morning
    reaches about 90°) is a landmark failure, dropped before the trunk's speed is read (a good pull read 174°
    for two frames, bichraix_good009)."""
    min_hold_s: float = 2.0
    """Bird-dog: target hold at full extension (configurable)."""
    limb_below_horizontal_deg: float = 20.0
    """Bird-dog: arm or leg more than this below horizontal at the top of the rep."""


@dataclass(frozen=True, slots=True)
class CounterThresholds:
    """Rep-counter settings for one exercise's depth signal (degrees of the driving angle)."""

    start_deg: float
    """Leaving the rest posture: the signal rises above this."""
    depth_deg: float
    """The rep counts once the signal reaches this."""
    return_deg: float
    """Back at rest: the signal falls below this (hysteresis: return_deg < start_deg)."""
    min_phase_s: float = 0.15
    """A state change must hold this long (debounce, seconds of video time)."""
    min_rep_s: float = 0.5
    """A rep quicker than this is noise."""
    max_gap_s: float = 2.0
    """Lost visibility for longer than this mid-rep abandons the rep (the count is kept)."""
    ready_s: float = 0.2
    """The ready posture must be held this long before counting starts."""
    opening_descent_deg: float = 0.0
    """A rep the recording opens inside (counted from depth) counts only if the signal is seen rising at least
    this much towards the rep's deepest point, degrees; 0: a rep may start at the bottom (a deadlift from the
    floor, a bench back extension from the top)."""


@dataclass(frozen=True, slots=True)
class StandThresholds:
    """Sit-to-stand counting, relative to the person's own standing heights (view-independent: a level camera
    never foreshortens a vertical extent). Heights are the hips' and shoulders' height above the ankles, px."""

    stood_ratio: float = 0.95
    """A stand counts when the hips *and* shoulders reach this share of their standing heights (knees and hips
    extended: a 30° knee bend leaves the hips at cos 15° = 0.966, a 25° forward lean the shoulders at ≈ 0.96)."""
    seated_ratio: float = 0.82
    """Back down (seated) once the hips drop below this share of their standing height (seated hips ≈ 0.55)."""
    extension_tolerance: float = 0.008
    """Full extension is reached when the hips and shoulders are each within this share of their standing height
    of the highest they reach in that stand (the time a stand is dated, for the 30 s limit)."""
    min_phase_s: float = 0.1
    """A change of state must hold this long, s (debounce)."""
    arm_push_reach_share: float = 0.85
    """Arms push off when, during a rise, a wrist is farther than this share of the torso length from its shoulder
    (arms crossed on the chest: ≈ 0.6 on the synthetic figure; hands on the thighs or the seat: ≥ 1)."""


@dataclass(frozen=True, slots=True)
class HeelDropThresholds:
    """Heel-drop counting on the heel lift: the ankle's height above the toes minus its flat-foot height, as a
    share of the standing body height (view-independent)."""

    up_share: float = 0.022
    """On the toes once the lift reaches this share of body height (≈ 3.7 cm at 1.70 m)."""
    down_share: float = 0.008
    """Heels down (an impact) once the lift falls below this share of body height."""
    min_phase_s: float = 0.08
    """A state must hold this long, s."""
    bent_knee_deg: float = 25.0
    """Knees bent more than this at the landing (side view) is flagged: land on straight, soft knees."""
    trunk_drop_deg: float = 20.0
    """Trunk leaning more than this from the vertical at the landing (side view) is a fall of the trunk."""


@dataclass(frozen=True, slots=True)
class StanceThresholds:
    """Stance recognition and hold timing, from the feet (front view). Shares are of the standing body height."""

    foot_lift_share: float = 0.06
    """A foot is off the floor when its lowest point is this far above the other foot's (px share of height)."""
    foot_down_share: float = 0.03
    """A lifted foot is down again below this."""
    tandem_lateral_share: float = 0.02
    """Tandem: ankles less than this apart sideways (synthetic tandem ≈ 0.006, semi-tandem ≈ 0.03)."""
    semi_lateral_share: float = 0.045
    """Semi-tandem: ankles less than this apart sideways, and offset front to back."""
    side_by_side_share: float = 0.09
    """Side by side (feet together): ankles less than this apart, not offset (at ease, hip-width ≈ 0.18)."""
    depth_offset_share: float = 0.03
    """Tandem: the heels' height difference in the image (the nearer foot sits lower) above this (synthetic:
    tandem 0.057, semi 0.026, side by side 0, camera 2.7 m away at 1 m height)."""
    semi_depth_share: float = 0.008
    """Semi-tandem: the heels' height difference above this; side by side at most this (the real model on the
    rendered test: side by side 0–0.005, semi-tandem 0.010–0.019)."""
    step_share: float = 0.04
    """A foot moving this far from where the hold started (either axis) is a step."""
    support_reach_share: float = 0.30
    """A hand this far sideways from the hips, at hip height, is reaching for support."""
    min_state_s: float = 0.15
    """A stance (or its loss) must hold this long to count, s; the hold is dated from its first frame."""
    unsteady_sway_cm_s: float = 40.0
    """A body-centre speed above this is a large sudden sway: the live page stops and says so, cm/s."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The complete, immutable configuration for one analysis."""

    spine: SpineThresholds = SpineThresholds()
    movement: MovementThresholds = MovementThresholds()
    squat_counter: CounterThresholds = CounterThresholds(start_deg=35.0, depth_deg=60.0, return_deg=25.0,
                                                         opening_descent_deg=8.0)
    """Squat counter on knee flexion, degrees (0 = standing). A squat starts standing: a clip that opens at the
    bottom shows only its way up, which is not counted (toobasamad_squat opens rising, 2° of descent seen; the
    opening squats that the shared labels count were seen going down by 14–145°)."""
    squat_good_depth_deg: float = 80.0
    """Squat depth advice below this knee flexion (bodyweight squat to a chair height ~ 90°)."""
    deadlift_counter: CounterThresholds = CounterThresholds(start_deg=30.0, depth_deg=45.0, return_deg=20.0)
    """Hip-hinge counter on trunk inclination from the vertical, degrees (0 = standing tall)."""
    deadlift_floor_start_knee_deg: float = 25.0
    """A hinge clip that opens at the bottom counts that rep only if the knees are bent at least this much there,
    degrees: a pull from the floor. A stiff-legged hinge (Romanian deadlift, good-morning) starts standing, so
    opening at its bottom shows only its way up. Shared clips: pulls from the floor opened at 40–170° of knee
    bend (front views read low), the good-morning at 11°."""
    deadlift_rest_offset_max_deg: float = 25.0
    """The hinge counter discounts the lowest level its signal has held, up to this, degrees (a locked-out
    lifter filmed from behind at an angle read 22–29° on sebitzu_rdl; from the side ≈ 0–10°)."""
    hips_first_knee_share: float = 0.6
    """Hips-rise-first check: look when the knees have done this share of their extension on the way up."""
    hips_first_lag_pct: float = 40.0
    """Hips rise first when the trunk's rise lags the knees' extension by more than this, % of range. A rule
    of thumb, NOT validated. Re-set from 35 % when the reading became independent of the frames sampled (the
    trunk is interpolated to the moment the knees pass their share; the old first-frame-past reading ran 0–9
    points low): on the shared side-view pulls (`coach eval`), good clips read ≤ 36 % (jeffchen_good 36 %,
    bichraix_good019 31 %) except jurisimo_deadlift (60 %), the hips-first tby66 set 58 %."""
    hips_first_min_knee_range_deg: float = 20.0
    """Below this much knee extension on the way up (stiff-legged hinge) the check is not made, degrees."""
    back_extension_counter: CounterThresholds = CounterThresholds(start_deg=12.0, depth_deg=18.0, return_deg=8.0)
    """Back-extension counter on trunk (or flat-lying leg) lift above the rest posture, degrees. Set on the 4 shared
    clips: prone rest noise reads up to ~8°, floor supermans lift 24–37°, 45° bench lifts ~100°."""
    back_extension_end_counter: CounterThresholds = CounterThresholds(start_deg=32.0, depth_deg=50.0,
                                                                      return_deg=18.0)
    """Back-extension counter filmed from the head or the feet end (front and rear views), on the own-range lift
    of the chest or a leg (0 = its rest, 90 = its top so far in this clip; `coach.exercises.own_range.OwnRange`):
    looking along a body lying face down, the hip→shoulder angle barely turns, but the shoulders rise."""
    back_extension_end_angle_range_deg: float = 30.0
    """From the head or the feet end, the trunk's image angle still counts when its recent range (10th–90th
    percentile) is at least this, degrees: a 45° bench seen from the front swings it 60–100°; a body lying face
    down seen lengthways barely turns it (stick-figure floor run: under 10°)."""
    back_extension_end_min_range_deg: float = 30.0
    """From the head or the feet end: below this recent range of the own-range lift (0–90 scale) the fixed
    `back_extension_end_counter` band stands; above it the band sits at the own-range shares of that range above
    its recent rest (the highest of three noisy parts rests a little above 0)."""
    back_extension_min_range_deg: float = 8.0
    """Own-range band: a trunk lift whose range so far is under this is rest noise (prone rest reads up to ~8°),
    degrees; above it, the counter band shrinks to the person's own range where that is smaller than the fixed
    band needs (`own_range_band`)."""
    own_range_window_s: float = 12.0
    """Own-range band: the rest and range are the 10th and 90th percentiles of the last this-many seconds, s (two
    slow reps at least)."""
    own_range_start_share: float = 0.35
    """Own-range band: a rep starts once the signal passes this share of its range so far."""
    own_range_depth_share: float = 0.55
    """Own-range band: a rep reaches its top at this share of the range so far."""
    own_range_return_share: float = 0.2
    """Own-range band: back at rest below this share of the range so far."""
    own_range_min_share: float = 0.06
    """Own-range lift (end views): a part whose lift has spanned less than this share of the person's size in the
    picture (the larger side of the landmark box) has not moved and does not drive the count."""
    own_range_smooth_s: float = 0.3
    """Own-range lift: each part's lift is the median of this many seconds of frames, s; the range of the
    degree signals is read on the same smoothing."""
    bird_dog_counter: CounterThresholds = CounterThresholds(start_deg=35.0, depth_deg=55.0, return_deg=25.0)
    """Bird-dog counter on limb lift from the rest posture (arm and opposite leg), degrees."""
    knee_valgus_deg: float = 12.0
    """Squat from the front: knee inside the hip–ankle line by more than this beyond the rep's own standing
    reading, degrees (rule of thumb, tune on clips)."""
    knee_valgus_min_duration_s: float = 0.2
    """Knee valgus must hold at least this long (seconds) to count."""
    knee_valgus_max_plausible_deg: float = 40.0
    """Quality gate, not a limit: a frontal knee angle beyond this (degrees) is a left/right leg mix-up or a
    landmark jump, not a knee; such frames are dropped."""
    min_person_size_px: float = 150.0
    """Person extent (longer side of the landmark box) below which the pose model is unreliable, px
    (rendered figures: < 120 px tall finds nobody)."""
    min_brightness: float = 40.0
    """Mean luma (0–255) below which the clip is called too dark."""
    min_detection_share: float = 0.5
    """Share of frames with a person below which the notice "person often lost" is given."""
    stand: StandThresholds = StandThresholds()
    heel_drop: HeelDropThresholds = HeelDropThresholds()
    stance: StanceThresholds = StanceThresholds()
    scene_cut_decorrelation: float = 0.75
    """Consecutive analysed frames whose 16 × 16 luma thumbnails decorrelate by at least this (1 − Pearson r,
    0–2; coach.cuts) are a camera cut, and the analyzer learns its camera-dependent references again. On the
    shared clips at 15 frames/s (~9400 frame pairs): the two cuts between shots read 0.94 and 1.01, a fade to a
    flat frame 1.0, a title card 0.72, a handheld pan at most 0.52."""

    def with_strictness(self, strictness: Strictness) -> Thresholds:
        """A copy with spine thresholds scaled for a strictness preset."""
        factor = {Strictness.GENTLE: 1.5, Strictness.STANDARD: 1.0, Strictness.STRICT: 0.7}[strictness]
        s = self.spine
        return replace(
            self,
            spine=replace(
                s,
                spinal_flexion_deg=s.spinal_flexion_deg * factor,
                twist_deg=s.twist_deg * factor,
                twist_image_deg=s.twist_image_deg * factor,
                twist_floor_tilt_deg=s.twist_floor_tilt_deg * factor,
                lumbar_hyperextension_deg=s.lumbar_hyperextension_deg * factor,
                neck_extension_deg=s.neck_extension_deg * factor,
            ),
        )


DEFAULT_THRESHOLDS = Thresholds()


def preset(strictness: Strictness | str = Strictness.STANDARD) -> Thresholds:
    """The thresholds for a strictness preset."""
    return DEFAULT_THRESHOLDS.with_strictness(Strictness(strictness))


@dataclass(frozen=True, slots=True)
class SetTarget:
    """Reps per set and sets per session (guidance: 8–12 reps × 2–3 sets; 5 × 5 when supervised)."""

    reps_min: int = 8
    reps_max: int = 12
    sets_min: int = 2
    sets_max: int = 3
    rest_s: float = 90.0
    """The planned rest between sets, s (the rest setting; the live page counts it down). A set itself ends
    after SET_BREAK_S without a rep."""

    def reps_text(self, *, ascii_only: bool = False) -> str:
        """The reps target as people read it: "8–12", or "5" when it is one number."""
        return range_text(self.reps_min, self.reps_max, ascii_only=ascii_only)


def range_text(low: int, high: int, *, ascii_only: bool = False) -> str:
    """"8–12" ("8-12" with `ascii_only`, for drawn video text), or "5" when low == high."""
    return f"{low}" if low == high else f"{low}{'-' if ascii_only else '–'}{high}"


SET_BREAK_S = 10.0
"""No rep for this long, s, ends a set, live and in a review (`coach.session.ends_set`): a pause inside a set is
shorter, a rest between sets (30–240 s, the rest setting) longer."""


LIVE_TURN_MESSAGE_MIN_S = 1.0
"""Live setup: "Turn side-on" (or to the other side) is asked only after the wrong view has been read this long
without a break, seconds of frame time; the per-frame view estimate flips for single frames of a side-on person."""


OSTEOPOROSIS_TARGET = SetTarget()
SUPERVISED_5X5_TARGET = SetTarget(reps_min=5, reps_max=5, sets_min=5, sets_max=5)

SITTING_GAP_H = 3.0
"""Sets and reviews that start less than this many hours after the previous one belong to the same sitting
(one exercise session as a person counts it; the weekly guidance is 2–3 such sittings), hours."""


# --- Balance and functional tests (#17) ---------------------------------------------------------------------

CHAIR_STAND_TEST_S = 30.0
"""The 30-second chair stand: stands completed within this many seconds after "Go" count (CDC STEADI)."""

CHAIR_STAND_NORMS: dict[tuple[int, int], tuple[int, int]] = {
    (60, 64): (14, 12),
    (65, 69): (12, 11),
    (70, 74): (12, 10),
    (75, 79): (11, 10),
    (80, 84): (10, 9),
    (85, 89): (8, 8),
    (90, 94): (7, 4),
}
"""30-second chair stand, below-average scores by age band (years, inclusive): (men, women) — a score *below*
this number is below average. Source: CDC STEADI, "Assessment: 30-Second Chair Stand" (Centers for Disease
Control and Prevention, 2017), from Rikli & Jones, "Functional fitness normative scores for community-residing
older adults, ages 60–94", J Aging Phys Act 1999;7:162–181."""
CHAIR_STAND_NORM_SOURCE = "CDC STEADI 30-Second Chair Stand (Rikli & Jones 1999)"

BALANCE_STAGE_S = 10.0
"""4-stage balance test: each stance is held this long without support (CDC STEADI)."""
BALANCE_TANDEM_MIN_S = 10.0
"""Not holding the tandem stance (stage 3) this long flags a higher risk of falling (CDC STEADI, "Assessment:
The 4-Stage Balance Test", 2017)."""
BALANCE_NORM_SOURCE = "CDC STEADI 4-Stage Balance Test"

HEEL_DROP_DAILY_TARGET = 50
"""Heel drops a day: about 50 moderate impacts most days (Royal Osteoporosis Society, "Exercise and
osteoporosis" / Strong, Steady and Straight, 2019)."""

SINGLE_LEG_TARGET_S = 30.0
"""Single-leg stand training target per hold, s (e.g. 3 × 30 s each side; ROS / Too Fit To Fracture)."""

DEFAULT_HEIGHT_CM = 165.0
"""The person's height when not given, cm (sway in cm is scaled from it)."""

LEVEL_WORDS_TOLERANCE_DEG = 5.0
"""A limb within this of level with the back reads "level" on screens and reports (a camera's few degrees of
noise are not worth a number), degrees."""
