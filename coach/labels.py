"""The one table of words shown to people: every angle, measure, warning and notice the coach can show.

Screens, the annotated video, the PDF and the charts read their words here, never a variable name; an
exercise's own measures have their words in its spec. A test checks that every key an analyzer shows and every
warning and notice kind has an entry.
"""

from __future__ import annotations

from coach.exercises import REGISTRY, Load, NotAnalyzedYet, spec_of
from coach.thresholds import LEVEL_WORDS_TOLERANCE_DEG
from coach.types import Exercise, FunctionalTest, Hold, HoldEnd, NoticeKind, SetVerdict, Stance, Verdict, WarningKind

SHARED_MEASURE_WORDS: dict[str, str] = {
    "spinal_flexion_deg": "Back rounding",
    "twist_deg": "Twist",
    "down_s": "Time going down",
    "up_s": "Time coming up",
    "trunk_speed_deg_per_s": "Speed of bending",
}
"""The measure keys the shared checks write (`coach.exercises.base`), in plain words, without units."""

MEASURE_WORDS: dict[str, str] = {**SHARED_MEASURE_WORDS,
                                 **{k: v for s in REGISTRY.values() for k, v in s.words.items()}}
"""Every angle and measure key (`FrameResult.angles`, `Rep.metrics`) in plain words, without units: the shared
checks' and each exercise's own (`ExerciseSpec.words`)."""

TABLE_MEASURES = ("knee_flexion_deg", "hip_flexion_deg", "trunk_from_vertical_deg", "trunk_inclination_deg",
                  "trunk_lift_deg", "spinal_flexion_deg", "twist_deg", "arm_elevation_deg", "leg_elevation_deg",
                  "peak_lift_deg")
"""The per-rep measures rep tables show (review page, PDF, CSV, terminal), in this order, when a rep has them."""

WARNING_WORDS: dict[WarningKind, str] = {
    WarningKind.SPINAL_FLEXION: "Back rounding",
    WarningKind.TWIST: "Twisting",
    WarningKind.LUMBAR_HYPEREXTENSION: "Lower back arched too far",
    WarningKind.HIPS_RISE_FIRST: "Hips rising before the chest",
    WarningKind.SHALLOW_DEPTH: "Not very deep",
    WarningKind.KNEE_VALGUS: "Knees turning in",
    WarningKind.RAPID_MOVEMENT: "Moving fast",
    WarningKind.NECK_EXTENSION: "Head tipped back",
    WarningKind.LIMB_BELOW_HORIZONTAL: "Arm or leg not lifted to level",
    WarningKind.SHORT_HOLD: "Hold too short",
    WarningKind.ARM_PUSH: "Pushed off with the hands",
    WarningKind.BENT_KNEES: "Landed on bent knees",
    WarningKind.TRUNK_DROP: "Upper body dropped forward",
    WarningKind.AFTER_TIME_LIMIT: "Finished after the 30 seconds",
}

NOTICE_WORDS: dict[NoticeKind, str] = {
    NoticeKind.NO_PERSON: "No one seen",
    NoticeKind.SEVERAL_PEOPLE: "Several people seen",
    NoticeKind.PARTIAL_BODY: "Only part of the body seen",
    NoticeKind.PERSON_TOO_SMALL: "Person too small in the picture",
    NoticeKind.TOO_DARK: "Too dark",
    NoticeKind.VIEW_LIMITS: "Not everything can be judged from this side",
    NoticeKind.TRUNCATED: "Video cut short",
    NoticeKind.DAMAGED: "Part of the video could not be read",
    NoticeKind.WRONG_EXERCISE: "Looks like another exercise",
    NoticeKind.CALIBRATION: "No still starting posture",
    NoticeKind.UNRELIABLE_MEASURE: "A measure was unreliable",
    NoticeKind.NO_REPS: "No repetitions counted",
    NoticeKind.SCENE_CUTS: "The video changes shot",
    NoticeKind.MISSING_CAPABILITY: "Some checks were not possible",
    NoticeKind.SAFETY: "Safety first",
    NoticeKind.UNSTEADY: "Looked unsteady",
}

STANCE_WORDS: dict[Stance, str] = {
    Stance.SIDE_BY_SIDE: "Feet side by side",
    Stance.SEMI_TANDEM: "One foot half a step ahead",
    Stance.TANDEM: "One foot in front of the other, heel to toe",
    Stance.SINGLE_LEG: "Standing on one leg",
}

STANCE_SHORT_WORDS: dict[Stance, str] = {
    Stance.SIDE_BY_SIDE: "Side by side",
    Stance.SEMI_TANDEM: "Half a step ahead",
    Stance.TANDEM: "Heel to toe",
    Stance.SINGLE_LEG: "On one leg",
}
"""The stances in a few words, where space is short (a chart's legend on a phone)."""

HOLD_END_WORDS: dict[HoldEnd, str] = {
    HoldEnd.FOOT_DOWN: "The raised foot came down",
    HoldEnd.SUPPORT: "A hand reached for support",
    HoldEnd.STEPPED: "A foot moved",
    HoldEnd.TARGET_REACHED: "Held for the full time",
    HoldEnd.VIDEO_END: "The video ended",
}

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.BELOW_AVERAGE: "Below average for your age",
    Verdict.AVERAGE_OR_BETTER: "Average or better for your age",
    Verdict.HIGHER_FALL_RISK: "A higher risk of falling: talk to your physiotherapist or doctor",
    Verdict.NO_ADDED_RISK: "No added risk of falling from this test",
    Verdict.TARGET_REACHED: "Daily target reached",
    Verdict.BELOW_TARGET: "Below the daily target so far",
    Verdict.NOT_RATED: "Not compared with a norm (add your age and sex to compare)",
}

TEST_WORDS: dict[str, str] = {
    "chair_stand": "30-second chair stand",
    "balance_test": "4-stage balance test",
    "heel_drops": "Heel drops today",
}
"""A functional test's name (`FunctionalTest.name`) in plain words."""
UNIT_WORDS: dict[str, str] = {"stands": "stands", "stages": "stages held", "impacts": "impacts"}


def test_sentence(test: FunctionalTest) -> str:
    """A test's result in one sentence: "30-second chair stand: 14 stands. Average or better for your age"."""
    name = TEST_WORDS.get(test.name, "Test")
    return f"{name}: {test.score:g} {UNIT_WORDS.get(test.unit, '')}. {VERDICT_WORDS[test.verdict]}."


def holds_timed(n: int) -> str:
    """How many holds a balance exercise timed, for its big line: "1 hold timed", "3 holds timed"."""
    return f"{n} hold{'s' if n != 1 else ''} timed"


def hold_sentence(hold: Hold) -> str:
    """A hold in one sentence: "Hold 1: standing on one leg (the left), 12.3 s. The raised foot came down"."""
    leg = f" (the {hold.leg.value})" if hold.leg is not None else ""
    return (f"Hold {hold.index}: {STANCE_WORDS[hold.stance].lower()}{leg}, {hold.duration_s:.1f} s. "
            f"{HOLD_END_WORDS[hold.ended_by]}.")


UNITS = (("_deg_per_s", "°/s"), ("_deg", "°"), ("_cm", "cm"), ("_s", "s"))
"""Key suffix → unit shown."""

LEVEL_AT_DEG: dict[str, float] = {k: v for s in REGISTRY.values() for k, v in s.level_at_deg.items()}
"""Measures of a limb's height (`ExerciseSpec.level_at_deg`): key → its value when level with the back, degrees."""

AMOUNT_KEYS = frozenset({"spinal_flexion_deg", "twist_deg", "knee_valgus_deg", "lean_back_deg", "neck_flexion_deg",
                         "neck_extension_deg", "lift_beyond_reference_deg"})
"""Measures that are an amount of a fault: below zero (straighter than the person's neutral) they read as 0,
never as a negative rounding."""

NOT_MEASURED = "not measured"
"""What a table shows for a measure the camera could not see in a rep (never "None" or "nan")."""

YES, NO = "yes", "no"


def measure_words(key: str) -> str:
    """Plain words for an angle or measure key; an unknown key reads as a generic word, never the key."""
    return MEASURE_WORDS.get(key, "Measure")


def measure_unit(key: str) -> str:
    """The unit a key's value is shown in ("°" or "s"; "" when the key names none)."""
    return next((unit for suffix, unit in UNITS if key.endswith(suffix)), "")


def measure_heading(key: str) -> str:
    """A table heading: words and unit, e.g. "Knee bend (°)" (a limb's height: words alone, its values say
    "level" or "12° below level")."""
    unit = "" if key in LEVEL_AT_DEG else measure_unit(key)
    return f"{measure_words(key)} ({unit})" if unit else measure_words(key)


def measure_value(key: str, value: float | None) -> int | None:
    """The value shown for a measure, rounded to whole units: None when not measured, an amount never below 0."""
    if value is None or value != value:  # NaN
        return None
    shown = round(value)
    return max(0, shown) if key in AMOUNT_KEYS else shown  # an int: never "-0"


def measure_text(key: str, value: float | None, unit: bool = True) -> str:
    """A measure as a person reads it: "35°", "2 s", or "not measured"."""
    shown = measure_value(key, value)
    if shown is None:
        return NOT_MEASURED
    if key in LEVEL_AT_DEG:
        return level_text(shown - LEVEL_AT_DEG[key])
    return f"{shown}{measure_unit(key)}" if unit else str(shown)


def level_text(above_deg: float) -> str:
    """A limb's height against level with the back: "level" (within `LEVEL_WORDS_TOLERANCE_DEG`), "12° above
    level", "30° below level"."""
    off = round(above_deg)
    if abs(off) <= LEVEL_WORDS_TOLERANCE_DEG:
        return "level"
    return f"{abs(off)}° {'above' if off > 0 else 'below'} level"


def table_measures(metrics: list[dict[str, float]] | tuple[dict[str, float], ...]) -> list[str]:
    """The `TABLE_MEASURES` keys present in any of these reps' metrics, in table order."""
    return [k for k in TABLE_MEASURES if any(k in m for m in metrics)]


EASIER: dict[Load, str] = {
    Load.BODYWEIGHT: "Next time rest a little longer between sets; good form counts more than the number.",
    Load.OPTIONAL_WEIGHT: "Next time rest a little longer between sets, or hold a lighter weight if you used one.",
    Load.WEIGHT: "Next time choose a lighter weight, or rest a little longer between sets.",
}
"""What to do after a set below the target, by what the exercise is done with (never a weight for a bodyweight
exercise)."""


SET_VERDICT_WORDS: dict[SetVerdict, str] = {
    SetVerdict.BELOW: "fewer than the target",
    SetVerdict.IN_RANGE: "in the target range",
    SetVerdict.ABOVE: "more than the target",
}
"""How a set compares with its rep target, in words (the terminal's set line)."""


def set_advice(exercise: Exercise, verdict: SetVerdict) -> str:
    """One or two calm sentences after a set: how it compares with the target and how to do the next one."""
    if verdict is SetVerdict.IN_RANGE:
        return "In the target range: well done."
    if verdict is SetVerdict.BELOW:
        return f"Fewer reps than the target. {EASIER[spec_of(exercise).load]}"
    return f"More reps than the target: to make it harder next time, {spec_of(exercise).harder}."


def exercise_title(exercise: Exercise | str) -> str:
    """The exercise on a button, a heading or a report line ("Deadlift (hip hinge)"), from its spec; a value
    that is no exercise reads as itself."""
    try:
        return spec_of(exercise).title
    except NotAnalyzedYet:
        return str(exercise)


def warning_words(kind: WarningKind) -> str:
    """Plain words for a warning kind."""
    return WARNING_WORDS[kind]


def notice_words(kind: NoticeKind) -> str:
    """Plain words for a notice kind."""
    return NOTICE_WORDS[kind]

LIVE_TEST_WORDS: dict[str, str] = {
    "get_ready": "Get ready: {n}",
    "go": "Go!",
    "seconds_left": "{n} seconds left",
    "stop": "Stop: the 30 seconds are over. Sit and rest.",
    "stands": "{n} stands.",
    "holding": "Holding: {n} s",
    "hold_ended": "{why}: held {n} seconds.",
    "unsteady": "You look unsteady: hold on to your chair or the counter. The timer has stopped.",
}
"""What the live page shows and says during the chair-stand clock and the balance holds ({n}: a number)."""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
"""Month names in English whatever the computer's language (the rest of the page is English)."""


def day_words(iso_date: str) -> str:
    """A date as a person says it: "2026-11-30" → "30 November 2026" (a timestamp's time is left out)."""
    year, month, day = (int(x) for x in iso_date[:10].split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"
