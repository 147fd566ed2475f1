"""Spoken cues made on the device: a cooldown gate (pure) and a browser speechSynthesis snippet.

Nothing is sent over the network: the browser's own speech engine speaks the words.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

REP_GAP_S = 1.0
"""Rep numbers: at most one a second (video time)."""
WARNING_COOLDOWN_S = 20.0
"""The same warning is not spoken again within this many seconds."""
ANY_GAP_S = 2.5
"""Warnings are not spoken within this many seconds of another utterance."""


@dataclass(slots=True)
class SpeechGate:
    """Decides whether a cue may be spoken now (times are video seconds), so the coach never nags."""

    rep_gap_s: float = REP_GAP_S
    warning_cooldown_s: float = WARNING_COOLDOWN_S
    any_gap_s: float = ANY_GAP_S
    _last_by_kind: dict[str, float] = field(default_factory=dict)
    _last_any: float = -math.inf

    def offer(self, kind: str, t: float) -> bool:
        """True (and remembered) when a cue of `kind` ("rep", "ready" or "warn:<kind>") may be spoken at t."""
        last = self._last_by_kind.get(kind, -math.inf)
        if kind.startswith("warn:"):
            ok = t - last >= self.warning_cooldown_s and t - self._last_any >= self.any_gap_s
        elif kind == "rep":
            ok = t - last >= self.rep_gap_s
        else:
            ok = t - last >= self.warning_cooldown_s
        if ok:
            self._last_by_kind[kind] = t
            self._last_any = t
        return ok


def speech_html(text: str, utterance_id: int, rate: float = 0.9) -> str:
    """An HTML snippet that speaks `text` once with the browser's speechSynthesis (local voices only)."""
    payload = json.dumps(text).replace("<", "\\u003c")
    return f"""<script>
(function() {{
  const synth = window.speechSynthesis || (window.parent && window.parent.speechSynthesis);
  if (!synth) return;
  const u = new SpeechSynthesisUtterance({payload});
  u.rate = {rate:.2f};
  const voices = synth.getVoices();
  const local = voices.filter(v => v.localService);
  if (voices.length && !local.length) return;  // only network voices: stay silent rather than go online
  if (local.length) u.voice = local.find(v => v.default) || local[0];
  synth.speak(u);
}})();
</script><!-- utterance {utterance_id} -->"""
