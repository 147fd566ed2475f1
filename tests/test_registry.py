"""The exercise registry: every exercise has one complete spec, and every place reads it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from coach.exercises import REGISTRY, NotAnalyzedYet, analyzer_for, spec_of
from coach.exercises.functional_base import NO_BAND, FunctionalAnalyzer
from coach.exercises.spec import ExerciseSpec, Posture
from coach.labels import SHARED_MEASURE_WORDS, measure_words
from coach.synth.functional import FUNCTIONAL_EXERCISES, script_for
from coach.synth.motions import MOTIONS, timing
from coach.thresholds import Thresholds, preset
from coach.types import STRENGTH_EXERCISES, Exercise

KEY = re.compile(r'"([a-z_]+_(?:deg|s))"')
SPECS = list(REGISTRY.values())


def test_every_exercise_has_a_spec_under_its_own_key() -> None:
    assert list(Exercise) == list(REGISTRY)
    assert all(key is spec.exercise for key, spec in REGISTRY.items())


STRENGTH_SPECS = [s for s in SPECS if s.exercise in STRENGTH_EXERCISES]
FUNCTIONAL_SPECS = [s for s in SPECS if s.exercise not in STRENGTH_EXERCISES]


@pytest.mark.parametrize("spec", FUNCTIONAL_SPECS, ids=lambda s: s.exercise.value)
def test_a_functional_spec_is_complete(spec: ExerciseSpec) -> None:
    """The balance and functional tests: scripted by `coach.synth.functional`, not counted on a band."""
    assert spec.name and spec.title and spec.signal_words and spec.name.lower() == spec.name
    assert issubclass(spec.analyzer, FunctionalAnalyzer) and spec.analyzer.exercise is spec.exercise
    assert all(measure_words(k) != "Measure" for k in spec.columns)
    assert spec.exercise in FUNCTIONAL_EXERCISES and script_for(spec.exercise).exercise is spec.exercise
    assert spec.band() is NO_BAND


@pytest.mark.parametrize("spec", STRENGTH_SPECS, ids=lambda s: s.exercise.value)
def test_a_spec_is_complete(spec: ExerciseSpec) -> None:
    assert spec.name and spec.title and spec.signal_words
    assert spec.name.lower() == spec.name and "_" not in spec.name
    assert "(°)" in spec.signal_words
    assert isinstance(spec.posture, Posture)
    assert spec.analyzer.exercise is spec.exercise
    assert spec.columns and all(measure_words(k) != "Measure" for k in spec.columns)
    assert spec.synth is not None and abs(sum(spec.synth.splits) - 1.0) < 1e-9
    assert spec.exercise in MOTIONS and timing(spec.exercise) is spec.synth


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.exercise.value)
def test_every_key_its_module_writes_has_words_in_its_spec(spec: ExerciseSpec) -> None:
    module = importlib.import_module(spec.analyzer.__module__)
    keys = set(KEY.findall(Path(str(module.__file__)).read_text()))
    assert keys, "the module writes no measure key"
    assert sorted(keys - spec.words.keys() - SHARED_MEASURE_WORDS.keys()) == []


def test_a_key_two_exercises_show_has_the_same_words() -> None:
    for a in SPECS:
        for b in SPECS:
            assert all(b.words.get(k, w) == w for k, w in a.words.items()), (a.exercise, b.exercise)


@pytest.mark.parametrize("strictness", ["gentle", "standard", "strict"])
@pytest.mark.parametrize("spec", STRENGTH_SPECS, ids=lambda s: s.exercise.value)
def test_the_analyzer_counts_on_its_spec_band(spec: ExerciseSpec, strictness: str) -> None:
    th = preset(strictness)
    analyzer = analyzer_for(spec.exercise, th)
    assert analyzer.counter.thresholds == spec.band(th)  # type: ignore[attr-defined]
    assert spec.band() == spec.band(Thresholds())


def test_an_unknown_exercise_is_refused_in_one_line() -> None:
    with pytest.raises(NotAnalyzedYet, match="'plank' is not an exercise"):
        spec_of("plank")


def test_one_naming_scheme_every_title_starts_with_its_name() -> None:
    from coach.exercises import Group, in_group

    titles = [s.title for s in REGISTRY.values()]
    assert len(set(titles)) == len(titles)
    for s in REGISTRY.values():
        assert s.title.startswith(s.name[0].upper() + s.name[1:]), (s.name, s.title)  # "Name (how it is done)"
    for a in REGISTRY.values():  # no title carries another exercise's name in its brackets ("Squat (sit to stand)")
        detail = a.title[len(a.name):]
        assert not [b.name for b in REGISTRY.values() if b is not a and b.name in detail.lower()], a.title
    assert in_group(Group.TEST) == [Exercise.CHAIR_STAND, Exercise.SINGLE_LEG_STAND, Exercise.BALANCE_TEST]
    assert len(in_group(Group.EXERCISE)) == len(REGISTRY) - 3  # sit to stand and heel drops are exercises


def test_the_cli_offers_the_registry_s_exercises() -> None:
    import argparse

    from coach.commands import evaluate, review

    for module in (review, evaluate):
        parser = argparse.ArgumentParser()
        module.register(parser.add_subparsers())
        [action] = [a for sub in parser._subparsers._group_actions for p in sub.choices.values()  # type: ignore[union-attr]
                    for a in p._actions if "--exercise" in a.option_strings]
        assert list(action.choices) == [e.value for e in REGISTRY]  # type: ignore[arg-type]


def test_a_count_is_said_in_the_exercises_own_words() -> None:
    # A chair-stand review said "14 reps counted"; a test counts stands, heel drops are heel drops.
    from coach.types import Exercise

    assert spec_of(Exercise.CHAIR_STAND).count_text(14) == "14 stands"
    assert spec_of(Exercise.HEEL_DROP).count_text(1) == "1 heel drop"
    assert spec_of(Exercise.SQUAT).count_text(1) == "1 rep" and spec_of(Exercise.SQUAT).count_text(0) == "0 reps"
    for spec in REGISTRY.values():
        one, many = spec.counted_as
        assert one and many and one != many and "_" not in one + many
