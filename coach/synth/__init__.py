"""Synthetic exercise videos with exact ground truth (`coach synth`).

A skeleton with forward kinematics (`skeleton`), exact angle definitions (`angles`), exercise motions
with injected faults (`motions`), a body of shaded primitives (`body`), a numpy ray-caster
(`render`), a seeded scene (`scene`), the truth sidecar (`truth`) and the generator (`generate`).
"""

from coach.synth.generate import Generator, SynthSpec, frames, generate
from coach.synth.motions import Fault
from coach.synth.truth import FrameTruth, RepTruth, Truth, sidecar_path

__all__ = ["Fault", "FrameTruth", "Generator", "RepTruth", "SynthSpec", "Truth", "frames", "generate", "sidecar_path"]
