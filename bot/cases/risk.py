"""Risk level of a case, from its facts, with a Dutch reason for counsellors.

urgent: suicide risk. high: deadline within 24 hours, or a minor under an active threat,
or material already spread. Otherwise normal. All reasons found are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cases.facts import active_threat, is_minor, normalise_facts

URGENT, HIGH, NORMAL = "urgent", "high", "normal"
RISK_LABELS = {URGENT: "Urgent", HIGH: "Hoog", NORMAL: "Normaal"}
RISK_RANK = {URGENT: 0, HIGH: 1, NORMAL: 2}
NORMAL_REASON = "Geen signalen van suïciderisico, geen deadline binnen 24 uur, niets verspreid en geen bedreigde minderjarige bekend."


@dataclass(frozen=True)
class Risk:
    level: str
    reason: str

    @property
    def rank(self) -> int:
        return RISK_RANK[self.level]

    @property
    def label(self) -> str:
        return RISK_LABELS[self.level]


def assess(raw_facts: dict) -> Risk:
    facts = normalise_facts(raw_facts)
    urgent, high = [], []
    if facts["suicide_risk"]:
        urgent.append("Suïciderisico: de persoon liet gedachten aan zelfdoding merken")
    if facts["deadline_within_24h"]:
        when = f" ({facts['deadline']})" if facts["deadline"] else ""
        high.append(f"Deadline binnen 24 uur{when}")
    if is_minor(facts) and active_threat(facts):
        age = f" ({facts['age']:g} jaar)" if facts["age"] is not None else ""
        high.append(f"Minderjarige{age} onder actieve dreiging")
    if facts["material_spread"]:
        high.append("Materiaal is al verspreid")
    if urgent:
        return Risk(URGENT, _join(urgent + high))
    if high:
        return Risk(HIGH, _join(high))
    return Risk(NORMAL, NORMAL_REASON)


def _join(reasons: list) -> str:
    return "; ".join([reasons[0]] + [r[0].lower() + r[1:] for r in reasons[1:]]) + "."
