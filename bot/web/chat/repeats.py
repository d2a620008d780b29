"""No bot message twice, word for word, in one conversation (issue 15): the one choke point
every bot answer passes before the person sees it (``Delivery.store_answer``).

A repeated message is left out when the same turn has something new to say; otherwise (it is
the whole answer, or it carries 113/112) it stays, with an opening from texts/web.yml
("Nog even:") so that it does not read as a machine saying the same thing again. Short messages
(fewer than ``MIN_WORDS`` words, "Graag gedaan.") may repeat. Pure functions.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

from bot.language.safety_phrases import has_safety_line
from bot.web_texts import section

MIN_WORDS = 5
Item = Tuple[str, str, Optional[list]]  # (sender, text, buttons)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def without_repeats(items: List[Item], earlier: Iterable[str]) -> List[Item]:
    """``items`` with verbatim repeats of ``earlier`` texts (or of each other) dropped or reworded."""
    seen = {_flat(t) for t in earlier if t}
    repeated, current = set(), set(seen)
    for i, (_sender, text, _buttons) in enumerate(items):
        flat = _flat(text)
        if len(flat.split()) >= MIN_WORDS and flat in current:
            repeated.add(i)
        current.add(flat)
    if not repeated:
        return list(items)
    keep = {i for i in repeated if has_safety_line([items[i][1]])}  # 113/112 is never left out
    if len(repeated) == len(items):
        keep.add(max(repeated))  # nothing new: the last message stays, so the turn is answered
    openings = [text for key, text in section("repeat").items() if key.startswith("again")]
    out: List[Item] = []
    for i, (sender, text, buttons) in enumerate(items):
        if i in repeated:
            if i not in keep:
                continue
            for opening in openings:
                if _flat(f"{opening} {text}") not in seen:
                    text = f"{opening} {text}"
                    break
            else:  # every opening used: a short line (under MIN_WORDS) instead of the same text again,
                if not has_safety_line([text]):  # but 113/112 stays, even word for word
                    text = section("repeat")["short"]
        seen.add(_flat(text))
        out.append((sender, text, buttons))
    return out
