"""Back bulge on synthetic numpy masks with a known back shape."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.silhouette import MIN_CHORD_PX, back_bulge, back_contour, back_profile

H, W = 720, 1280


def torso_mask(
    hip: tuple[float, float],
    shoulder: tuple[float, float],
    back_direction: int,
    sagitta: float = 0.0,
    arc_from: float = 0.15,
    arc_to: float = 0.85,
) -> np.ndarray:
    """Torso drawn in chord coordinates: 60 px in front, 50 px behind the chord plus a circular arc of
    the given sagitta spanning [arc_from, arc_to] of the chord on the back side."""
    h, s = np.array(hip), np.array(shoulder)
    length = float(np.hypot(*(s - h)))
    u = (s - h) / length
    n = np.array([-u[1], u[0]]) * back_direction
    yy, xx = np.mgrid[:H, :W].astype(np.float64)
    px, py = xx - h[0], yy - h[1]
    along = px * u[0] + py * u[1]
    across = px * n[0] + py * n[1]
    back = np.full_like(along, 50.0)
    if sagitta > 0:
        c = (arc_to - arc_from) * length
        r = (c * c / 4 + sagitta * sagitta) / (2 * sagitta)
        mid = (arc_from + arc_to) / 2 * length
        x = along - mid
        inside = np.abs(x) <= c / 2
        back = back + np.where(inside, np.sqrt(np.maximum(r * r - x * x, 0)) - (r - sagitta), 0.0)
    m = (along >= -20) & (along <= length + 20) & (across >= -60) & (across <= back)
    return m.astype(np.float32)


def test_straight_back_is_flat() -> None:
    m = torso_mask((640, 600), (640, 200), -1)
    assert back_bulge(m, (640, 600), (640, 200), -1) == pytest.approx(0.0, abs=0.003)


@pytest.mark.parametrize(
    ("hip", "shoulder", "direction"),
    [((640, 600), (640, 200), -1), ((900, 500), (500, 350), -1), ((400, 550), (800, 450), 1)],
)
@pytest.mark.parametrize("sagitta", [15.0, 35.0])
def test_arc_back_sagitta_over_chord(
    hip: tuple[float, float], shoulder: tuple[float, float], direction: int, sagitta: float
) -> None:
    m = torso_mask(hip, shoulder, direction, sagitta)
    chord = math.dist(hip, shoulder)
    got = back_bulge(m, hip, shoulder, direction)
    # Within 5 % or 1.5 px (nearest-pixel sampling of a hard-edged mask on a diagonal chord).
    assert got == pytest.approx(sagitta / chord, rel=0.05, abs=1.5 / chord)


def test_arc_over_whole_chord_matches_circle() -> None:
    hip, sh, sag = (640, 600), (640, 200), 40.0
    m = torso_mask(hip, sh, -1, sag, 0.0, 1.0)
    length = 400.0
    r = (length * length / 4 + sag * sag) / (2 * sag)
    at_end = math.sqrt(r * r - (0.35 * length) ** 2) - (r - sag)  # arc height at the 15 % station
    assert back_bulge(m, hip, sh, -1) == pytest.approx((sag - at_end) / length, rel=0.05)


def test_direction_sign_matters() -> None:
    hip, sh = (640, 600), (640, 200)
    m = torso_mask(hip, sh, -1, 40.0)  # back on image-left of an upright chord
    assert back_bulge(m, hip, sh, -1) == pytest.approx(0.1, rel=0.05)
    assert back_bulge(m, hip, sh, 1) == pytest.approx(0.0, abs=0.003)  # the flat front
    pts = back_contour(m, hip, sh, -1)
    assert pts.shape == (15, 2)
    assert np.all(pts[:, 0] < 640)
    assert pts[7, 0] == pytest.approx(640 - 50 - 40, abs=1.0)


def test_nan_cases() -> None:
    hip, sh = (640, 600), (640, 200)
    m = torso_mask(hip, sh, -1)
    assert math.isnan(back_bulge(None, hip, sh, -1))
    assert math.isnan(back_bulge(m, (-5, 600), sh, -1))
    assert math.isnan(back_bulge(m, hip, (640, 900), -1))
    assert math.isnan(back_bulge(m, (640, 300), (640, 300 - MIN_CHORD_PX + 1), -1))
    assert math.isnan(back_bulge(m, (float("nan"), 600), sh, -1))
    assert math.isnan(back_bulge(m, hip, sh, 0))
    assert math.isnan(back_bulge(np.zeros((H, W), np.float32), hip, sh, -1))  # no contour
    assert math.isnan(back_bulge(np.ones((H, W), np.float32), hip, sh, -1))  # never leaves the mask
    assert back_contour(None, hip, sh, -1).shape == (0, 2)
    assert back_profile(None, hip, sh, -1) is None
