"""What defines an exercise, in one record: `ExerciseSpec` (one per exercise module, collected in
`coach.exercises.REGISTRY`).

Every other place reads the spec: the picker and the history (its title), sentences (its name), the chart and
the PDF (its signal's words and counter band), the rep table (its columns), the label table (its words),
plausibility and the exercise hint (its posture), the file-name guess and `coach synth` (its timing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from coach.thresholds import CounterThresholds, Thresholds
from coach.types import Exercise

if TYPE_CHECKING:
    from coach.exercises.base import BaseAnalyzer
    from coach.exercises.functional_base import FunctionalAnalyzer


class Posture(StrEnum):
    """How the body is placed while doing the exercise."""

    STANDING = "standing"
    HANDS_AND_KNEES = "hands and knees"
    LYING = "lying"

    @property
    def upright(self) -> bool:
        """Done standing (starts and ends standing)."""
        return self is Posture.STANDING

    @property
    def where(self) -> str:
        """Where the body is, in words ("on hands and knees")."""
        return {Posture.STANDING: "standing", Posture.HANDS_AND_KNEES: "on hands and knees",
                Posture.LYING: "lying or on a bench"}[self]


class Group(StrEnum):
    """Where the exercise sits in the picker: the strength and impact exercises, or the balance and fitness
    tests (each a heading a person reads)."""

    EXERCISE = "Exercises"
    TEST = "Balance and fitness tests"


class Load(StrEnum):
    """What the exercise is done with: the body's own weight, a weight in the hands if one likes, or a weight."""

    BODYWEIGHT = "bodyweight"
    OPTIONAL_WEIGHT = "optional weight"
    WEIGHT = "weight"


@dataclass(frozen=True, slots=True)
class SynthTiming:
    """How `coach synth` times one rep of the exercise: seconds per rep and the shares of it spent moving,
    holding, returning and pausing at the top (they sum to 1)."""

    tempo_s: float
    splits: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class ExerciseSpec:
    """One exercise: identity, words, posture, counter band, analyzer and synthetic timing.

    `words` gives plain words for every measure key the exercise's analyzer shows (display angles and rep
    metrics) beyond the shared checks' keys (`coach.labels.SHARED_MEASURE_WORDS`); `columns` are the rep
    metrics its rep table shows, in order. The advice sentences its warnings carry (cues) stay in its module,
    next to the check that gives them.
    """

    exercise: Exercise
    name: str
    """The exercise in a sentence: "back extension"."""
    title: str
    """The exercise on a button or a heading: its name, capitalised, then how it is done in brackets when that
    helps: "Back extension (lying face down)" (the naming scheme every screen, report and file follows)."""
    posture: Posture
    signal_words: str
    """The depth signal on a chart axis, with its unit: "knee bend (°)"."""
    counter: Callable[[Thresholds], CounterThresholds]
    """The counter band of its depth signal, read from the thresholds in force (degrees)."""
    analyzer: type[BaseAnalyzer] | type[FunctionalAnalyzer]
    """Its signal, checks and notices (the balance and functional tests: `FunctionalAnalyzer`s)."""
    words: Mapping[str, str]
    columns: tuple[str, ...]
    synth: SynthTiming | None = None
    """None when `coach synth` cannot render it."""
    level_at_deg: Mapping[str, float] = field(default_factory=dict)
    """Measures that are a limb's height, read against level with the back: key → its value at level (degrees);
    they are shown as "level", "12° below level"."""
    group: Group = Group.EXERCISE
    load: Load = Load.BODYWEIGHT
    harder: str = "move a little more slowly and pause a moment longer at the hardest point"
    """How to make a set harder once it goes beyond the target, without a weight (a sentence part)."""
    counted_as: tuple[str, str] = ("rep", "reps")
    """What one counted repetition is called, one and many ("stand", "stands" for the chair-stand test)."""

    def count_text(self, n: int) -> str:
        """`n` counted repetitions in words: "1 rep", "14 stands"."""
        return f"{n} {self.counted_as[0] if n == 1 else self.counted_as[1]}"

    @property
    def file_words(self) -> tuple[str, ...]:
        """Words in a lower-case file name that name this exercise ("back_extension", "backextension")."""
        return self.exercise.value, self.exercise.value.replace("_", "")

    def band(self, thresholds: Thresholds | None = None) -> CounterThresholds:
        """Its counter band under `thresholds` (the defaults when None), degrees."""
        return self.counter(thresholds or Thresholds())
