"""Build models/pose_landmarker_full.task from the BlazePose weights in the mediapipe 0.10.21 wheel.

The `.task` bundle is a zip (stored, 4-byte aligned) of two TFLite models with MediaPipe
metadata: `pose_detector.tflite` and `pose_landmarks_detector.tflite`. Rebuilds are
byte-identical (fixed zip timestamps).

Usage:
    python scripts/build_pose_model.py [--wheel PATH] [--out models/pose_landmarker_full.task]

Without --wheel, `pip download --no-deps mediapipe==0.10.21` fetches the wheel into a temp dir.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import subprocess
import sys
import tempfile
import types
import zipfile
from pathlib import Path

WHEEL_VERSION = "0.10.21"
DETECTOR_IN_WHEEL = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKS_IN_WHEEL = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "models" / "pose_landmarker_full.task"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _stub_metadata_version_module() -> None:
    """Register stubs for the C extension mediapipe 1.2.3's metadata writer imports but lacks."""
    names = [
        "mediapipe.tasks.cc",
        "mediapipe.tasks.cc.metadata",
        "mediapipe.tasks.cc.metadata.python",
        "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version",
    ]
    for name in names:
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.__path__ = []  # type: ignore[attr-defined]
            sys.modules[name] = module
    leaf = sys.modules[names[-1]]
    leaf.GetMinimumMetadataParserVersion = lambda *_args, **_kwargs: "1.5.0"  # type: ignore[attr-defined]
    for parent, child in itertools.pairwise(names):
        setattr(sys.modules[parent], child.rsplit(".", 1)[1], sys.modules[child])


def _fetch_wheel(dest: Path) -> Path:
    """Download the mediapipe wheel that carries the BlazePose weights into `dest`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64",
         f"mediapipe=={WHEEL_VERSION}", "-d", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob(f"mediapipe-{WHEEL_VERSION}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download did not produce a mediapipe {WHEEL_VERSION} wheel in {dest}")
    return wheels[0]


def _with_metadata(model: bytes, mean: float, std: float, n_outputs: int, name: str) -> bytes:
    """Attach image-input normalisation and `n_outputs` feature outputs to a TFLite model."""
    _stub_metadata_version_module()
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, "BlazePose (Google, Apache-2.0), from mediapipe " + WHEEL_VERSION)
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in range(n_outputs):
        writer.add_feature_output()
    content, _json = writer.populate()
    # Free the writer now: its __del__ fails if it runs during interpreter shutdown.
    del writer
    gc.collect()
    return bytes(content)


def build(wheel: Path, out: Path) -> str:
    """Build the bundle at `out` from `wheel`; return its sha256 hex digest."""
    with zipfile.ZipFile(wheel) as zf:
        detector = zf.read(DETECTOR_IN_WHEEL)
        landmarks = zf.read(LANDMARKS_IN_WHEEL)
    detector_md = _with_metadata(detector, 127.5, 127.5, 2, "pose_detector")
    landmarks_md = _with_metadata(landmarks, 0.0, 255.0, 5, "pose_landmarks_detector")

    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    entries = {
        zipfile.ZipInfo("pose_detector.tflite", date_time=ZIP_EPOCH): detector_md,
        zipfile.ZipInfo("pose_landmarks_detector.tflite", date_time=ZIP_EPOCH): landmarks_md,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    model_asset_bundle_utils.create_model_asset_bundle(entries, str(tmp))  # type: ignore[arg-type]
    tmp.replace(out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"path to a mediapipe-{WHEEL_VERSION} wheel")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output .task path")
    args = parser.parse_args(argv)
    if args.wheel is not None:
        digest = build(args.wheel, args.out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            digest = build(_fetch_wheel(Path(tmp)), args.out)
    size_mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size_mb:.1f} MB) sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
