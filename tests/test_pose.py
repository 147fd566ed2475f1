"""coach.pose: model checks (fast) and the real landmarker on a real clip (slow)."""

from __future__ import annotations

import gc
import shutil
import weakref

import numpy as np
import pytest

from coach import pose
from coach.landmarks import NUM_LANDMARKS, Lm
from coach.pose import (
    MODEL_SHA256,
    EstimatorMode,
    MediaPipeEstimator,
    ModelError,
    PersonTracker,
    check_model,
    prominence,
    resolve_model_path,
)
from coach.types import PoseFrame
from coach.video import VideoReader


def test_bundled_model_matches_checksum():
    assert check_model(pose.DEFAULT_MODEL_PATH) == pose.DEFAULT_MODEL_PATH
    assert len(MODEL_SHA256) == 64


def test_model_path_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_POSE_MODEL", str(tmp_path / "other.task"))
    assert resolve_model_path() == tmp_path / "other.task"
    assert resolve_model_path(tmp_path / "x.task") == tmp_path / "x.task"
    monkeypatch.delenv("COACH_POSE_MODEL")
    assert resolve_model_path() == pose.DEFAULT_MODEL_PATH


def test_missing_model_error(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere" / "pose.task"
    monkeypatch.setenv("COACH_POSE_MODEL", str(missing))
    with pytest.raises(ModelError) as info:
        MediaPipeEstimator()
    message = str(info.value)
    assert "\n" not in message
    assert str(missing) in message and "scripts/build_pose_model.py" in message


def test_damaged_model_error(tmp_path):
    damaged = tmp_path / "pose.task"
    shutil.copy(pose.DEFAULT_MODEL_PATH, damaged)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged") as info:
        MediaPipeEstimator(model_path=damaged)
    assert "\n" not in str(info.value)


def test_unloadable_model_without_checksum_is_model_error(tmp_path):
    junk = tmp_path / "junk.task"
    junk.write_bytes(b"not a model bundle")
    with pytest.raises(ModelError, match="could not load") as info:
        MediaPipeEstimator(model_path=junk, expected_sha256=None)
    assert "\n" not in str(info.value)


def test_prominence_prefers_big_visible_person():
    small = np.zeros((NUM_LANDMARKS, 4))
    small[:, 0] = np.linspace(10, 30, NUM_LANDMARKS)
    small[:, 1] = np.linspace(10, 60, NUM_LANDMARKS)
    small[:, 3] = 0.9
    big = small.copy()
    big[:, :2] *= 3
    faint = big.copy()
    faint[:, 3] = 0.05
    assert prominence(big, 640, 480) > prominence(small, 640, 480) > prominence(faint, 640, 480)


def _person(x0: float, y0: float, w: float, h: float, vis: float = 0.9) -> np.ndarray:
    """Synthetic (33, 4) landmarks filling the box (x0, y0, w, h) px."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    lm[:, 0] = np.linspace(x0, x0 + w, NUM_LANDMARKS)
    lm[:, 1] = np.linspace(y0, y0 + h, NUM_LANDMARKS)
    lm[:, 3] = vis
    return lm


def test_tracker_starts_with_the_most_prominent_person_then_keeps_following_them():
    tracker = PersonTracker(reset_s=1.0)
    athlete = _person(100, 100, 150, 300)
    coach = _person(400, 50, 100, 200)
    assert tracker.select([coach, athlete], 640, 480, 0.0) == 1
    # the athlete squats (box shrinks) while the standing coach now looks bigger: still the athlete
    deep = _person(100, 250, 150, 150)
    coach_near = _person(400, 20, 200, 400)
    assert tracker.select([coach_near, deep], 640, 480, 0.1) == 1
    # order of MediaPipe's candidates does not matter
    assert tracker.select([deep, coach_near], 640, 480, 0.2) == 0


def test_tracker_gives_no_person_while_only_the_other_one_is_found():
    tracker = PersonTracker(reset_s=1.0)
    athlete, coach = _person(100, 100, 150, 300), _person(400, 150, 100, 200)
    assert tracker.select([athlete, coach], 640, 480, 0.0) == 0
    assert tracker.select([coach], 640, 480, 0.1) is None   # athlete missed, coach is not them
    assert tracker.select([], 640, 480, 0.2) is None
    assert tracker.select([coach, athlete], 640, 480, 0.3) == 1
    # athlete gone for longer than reset_s: the most prominent person is chosen anew
    assert tracker.select([coach], 640, 480, 0.5) is None
    assert tracker.select([coach], 640, 480, 1.4) == 0


def test_tracker_follows_a_lone_person_through_a_camera_cut():
    tracker = PersonTracker(reset_s=1.0)
    assert tracker.select([_person(50, 50, 100, 300)], 640, 480, 0.0) == 0
    # a cut moves the only person across the image: nobody else was seen, so it is still them
    assert tracker.select([_person(450, 100, 150, 350)], 640, 480, 0.04) == 0
    # and the tracker continues from the new box
    second = _person(60, 50, 100, 300)
    assert tracker.select([_person(455, 100, 150, 350), second], 640, 480, 0.08) == 0


def test_tracker_nearest_centre_when_boxes_do_not_overlap():
    tracker = PersonTracker(reset_s=1.0)
    assert tracker.select([_person(100, 100, 20, 200), _person(500, 100, 20, 200)], 640, 480, 0.0) == 0
    # a thin box that moved sideways past its own width: no overlap, but its centre is close
    assert tracker.select([_person(500, 100, 20, 200), _person(125, 100, 20, 200)], 640, 480, 0.1) == 1


def test_fake_estimator_replays(fake_estimator):
    frames = [PoseFrame.empty(0.0, 10, 10), PoseFrame.empty(5.0, 10, 10)]
    with fake_estimator(frames) as est:
        first = est.estimate(np.zeros((10, 10, 3), np.uint8), 1.5)
        est.estimate(np.zeros((10, 10, 3), np.uint8), 1.6)
        extra = est.estimate(np.zeros((10, 10, 3), np.uint8), 1.7)
    assert first.timestamp_s == 1.5 and extra.timestamp_s == 1.7 and not extra.detected
    assert est.calls == [1.5, 1.6, 1.7] and est.closed


@pytest.mark.slow
def test_no_person_gives_empty_frame():
    with MediaPipeEstimator(mode=EstimatorMode.IMAGE, with_mask=False) as est:
        frame = est.estimate(np.full((240, 320, 3), 90, np.uint8), 0.0)
    assert not frame.detected and frame.people == 0
    assert (frame.width, frame.height) == (320, 240)
    assert frame.brightness == pytest.approx(90.0)


@pytest.mark.slow
def test_landmarks_land_on_person_in_portrait_clip(shared_videos):
    """dillonloh_squat2 is portrait 720x1280: the person comes out upright and in pixels."""
    results = []
    with VideoReader(shared_videos / "squat" / "dillonloh_squat2.mp4") as reader, MediaPipeEstimator() as est:
        for i, video_frame in enumerate(reader):
            frame = est.estimate(video_frame.image, video_frame.timestamp_s)
            results.append(frame)
            if i == 5:
                break
    frame = results[-1]
    assert (frame.width, frame.height) == (720, 1280)
    assert frame.detected and frame.people >= 1
    assert frame.landmarks.shape == (NUM_LANDMARKS, 4) and frame.landmarks.dtype == np.float64
    assert frame.world.shape == (NUM_LANDMARKS, 3)
    assert frame.mask is not None and frame.mask.shape == (1280, 720) and frame.mask.dtype == np.float32
    assert 0.0 < frame.brightness < 255.0
    for lm in (Lm.LEFT_HIP, Lm.RIGHT_HIP, Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER):
        x, y = frame.xy(lm)
        assert 0 <= x < 720 and 0 <= y < 1280, lm
    hip_y = (frame.xy(Lm.LEFT_HIP)[1] + frame.xy(Lm.RIGHT_HIP)[1]) / 2
    assert frame.xy(Lm.NOSE)[1] < hip_y  # upright: head above hips
    xs, ys = frame.landmarks[:, 0], frame.landmarks[:, 1]
    assert np.ptp(ys) > np.ptp(xs)  # a standing person is taller than wide
    mask_person = frame.mask > 0.5
    hx, hy = np.round(frame.xy(Lm.LEFT_HIP)).astype(int)
    assert mask_person.mean() > 0.02 and mask_person[hy - 40 : hy + 40, hx - 40 : hx + 40].any()
    assert [f.timestamp_s for f in results] == sorted(f.timestamp_s for f in results)


@pytest.mark.slow
def test_video_mode_tolerates_repeated_timestamps(shared_videos):
    with VideoReader(shared_videos / "squat" / "dillonloh_squat2.mp4", max_side_px=480) as reader:
        images = [f.image for _, f in zip(range(3), reader, strict=False)]
    with MediaPipeEstimator(with_mask=False, num_poses=1) as est:
        frames = [est.estimate(images[0], 1.0), est.estimate(images[1], 1.0), est.estimate(images[2], 0.5)]
    assert [f.timestamp_s for f in frames] == [1.0, 1.0, 0.5]
    assert all(f.detected for f in frames)
    assert frames[0].mask is None


@pytest.mark.slow
def test_closed_estimator_refuses():
    est = MediaPipeEstimator(mode=EstimatorMode.IMAGE, with_mask=False)
    est.close()
    est.close()
    with pytest.raises(RuntimeError, match="closed"):
        est.estimate(np.zeros((32, 32, 3), np.uint8), 0.0)


def test_several_landmarkers_cannot_share_the_people_count():
    with pytest.raises(ValueError, match="people count"):
        MediaPipeEstimator(mode=EstimatorMode.VIDEO, num_poses=1, people_check_every=25, workers=2)


@pytest.mark.slow
def test_side_by_side_landmarkers_match_video_mode_with_two_poses(shared_videos):
    """The review's estimator (two VIDEO-mode landmarkers taking turns, frames taken ahead) gives exactly what
    one landmarker gives while one person is found on every frame: with num_poses=2 MediaPipe runs its
    detector on every frame and keeps the detector's box."""
    with VideoReader(shared_videos / "bird_dog" / "honza_bird_dog.mp4", max_side_px=640) as reader:
        frames = [(f.timestamp_s, f.image) for _, f in zip(range(8), reader, strict=False)]
    with MediaPipeEstimator(mode=EstimatorMode.VIDEO, num_poses=2) as est:
        expected = [est.estimate(image, t) for t, image in frames]
    with pose.review_estimator() as est:
        assert est.workers == pose.REVIEW_POSE_WORKERS > 1
        pending = [est.submit(image, t) for t, image in frames]
        got = [p.result() for p in pending]
    assert all(f.detected for f in expected)
    for e, g in zip(expected, got, strict=True):
        assert g.timestamp_s == e.timestamp_s and g.people == e.people
        np.testing.assert_array_equal(g.landmarks, e.landmarks)
        np.testing.assert_array_equal(g.mask, e.mask)


@pytest.mark.slow
def test_results_are_taken_in_submission_order():
    with MediaPipeEstimator(mode=EstimatorMode.IMAGE, with_mask=False, workers=2) as est:
        first = est.submit(np.zeros((32, 32, 3), np.uint8), 0.0)
        second = est.submit(np.zeros((32, 32, 3), np.uint8), 0.1)
        with pytest.raises(RuntimeError, match="submission order"):
            second.result()
        assert first.result().timestamp_s == 0.0 and second.result().timestamp_s == 0.1


class _FakeMaskImage:
    """Stands in for a MediaPipe mask image: `numpy_view()` gives a read-only view of its own buffer."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data

    def numpy_view(self) -> np.ndarray:
        view = self.data.view()
        view.flags.writeable = False
        return view


def test_mask_array_shares_the_image_buffer_and_keeps_it_alive():
    data = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    image = _FakeMaskImage(data)
    mask = pose._mask_array(image, 3, 4)
    assert mask.shape == (3, 4) and mask.dtype == np.float32 and not mask.flags.writeable
    assert np.shares_memory(mask, data)  # no copy
    alive = weakref.ref(image)
    del image, data
    gc.collect()
    assert alive() is not None and mask[2, 3] == 11.0  # the mask keeps its image alive …
    del mask
    gc.collect()
    assert alive() is None  # … and only the mask does


def test_mask_array_converts_other_formats():
    image = _FakeMaskImage(np.full((2, 2, 1), 128, np.uint8))
    mask = pose._mask_array(image, 2, 2)
    assert mask.dtype == np.float32 and mask.shape == (2, 2) and float(mask[0, 0]) == 128.0


@pytest.mark.slow
def test_real_mask_stays_valid_after_its_result_is_gone(shared_videos):
    """The mask is MediaPipe's own buffer, not a copy: it must stay intact while later frames are estimated."""
    with VideoReader(shared_videos / "squat" / "dillonloh_squat2.mp4", max_side_px=480) as reader:
        images = [f.image for _, f in zip(range(4), reader, strict=False)]
    with MediaPipeEstimator(mode=EstimatorMode.IMAGE, num_poses=1) as est:
        frame = est.estimate(images[0], 0.0)
        mask = frame.mask
        assert mask is not None and not mask.flags.writeable
        before = mask.copy()
        del frame
        gc.collect()
        later = [est.estimate(image, 0.0) for image in images[1:]]
        gc.collect()
        assert all(f.mask is not None for f in later)
        np.testing.assert_array_equal(mask, before)
        assert 0.0 < float(mask.mean()) < 1.0


def test_mediapipe_points_come_in_the_coach_landmark_order() -> None:
    from mediapipe.tasks.python.vision import PoseLandmark
    assert len(PoseLandmark) == NUM_LANDMARKS == len(Lm)  # coach.pose takes MediaPipe's rows as they come
    assert [(p.name, p.value) for p in PoseLandmark] == [(lm.name, lm.value) for lm in Lm]


def test_cover_people_paints_each_found_person_with_a_margin() -> None:
    """The second look (issue #19 item 11) covers the people already found, so the detector sees the rest."""
    from coach.pose import cover_people

    image = np.zeros((100, 200, 3), np.uint8)
    image[:, 100:] = 200
    person = np.zeros((33, 4))
    person[:, 0] = np.linspace(40, 60, 33)  # x px
    person[:, 1] = np.linspace(20, 70, 33)  # y px
    covered, boxes = cover_people(image, [person], pad_fraction=0.2)
    assert boxes == [(36.0, 10.0, 64.0, 80.0)]
    fill = image.reshape(-1, 3).mean(axis=0).astype(np.uint8)
    assert (covered[10:80, 36:64] == fill).all()
    assert (covered[:, 100:] == 200).all() and (covered[:10, :100] == 0).all()
    assert (image == np.where(np.arange(200) >= 100, 200, 0)[None, :, None]).all()  # the frame itself unchanged
