"""The one mapping between a study and plain data: the record of the JSON contract, and back.

Every writer (JSON, CSV, exports) and every result that carries a study as data
uses these; `study_from_record` reads one back exactly.
"""

from __future__ import annotations

from typing import Any

from .model import AdverseEvent, Dose, Duration, Finding, Source, Study

#: The record's fields, in the order of the JSON contract, then the derived ones.
RECORD_FIELDS = (
    "id", "title", "year", "place", "investigators", "condition", "population", "design",
    "n", "duration", "duration_kind", "dose", "outcome", "effect", "findings", "adverse_events",
    "tolerability", "notes", "mention", "sources", "includes",
    "evidence_level", "duration_days", "dose_mg_per_dose", "dose_mg_per_day", "retold",
)  # fmt: skip


#: The fields computed from the others, which a catalogue file does not hold.
DERIVED_FIELDS = ("evidence_level", "duration_days", "dose_mg_per_dose", "dose_mg_per_day", "retold")


def study_record(study: Study) -> dict[str, Any]:
    """A study as plain data: the JSON contract of `ldn list --format json`."""
    return {
        "id": study.id,
        "title": study.title,
        "year": study.year,
        "place": study.place,
        "investigators": list(study.investigators),
        "condition": study.condition,
        "population": study.population,
        "design": study.design,
        "n": study.n,
        "duration": study.duration.text if study.duration else None,
        "duration_kind": study.duration.kind if study.duration else None,
        "dose": study.dose.text if study.dose else None,
        "outcome": study.outcome,
        "effect": study.effect,
        "findings": [{"measure": f.measure, "effect": f.effect, "detail": f.detail} for f in study.findings],
        "adverse_events": [{"event": a.event, "share": a.share} for a in study.adverse_events],
        "tolerability": study.tolerability,
        "notes": study.notes,
        "mention": study.mention,
        "sources": [{"seed": s.seed, "quote": s.quote} for s in study.sources],
        # A systematic review's catalogued trials (empty for every other study).
        "includes": list(study.includes),
        "evidence_level": study.evidence_level,
        "duration_days": study.duration.days if study.duration else None,
        "dose_mg_per_dose": study.dose.mg_per_dose if study.dose else None,
        # Only when the documents state a schedule: "5 mg" is per dose, never "a day".
        "dose_mg_per_day": study.dose.mg_per_day if study.dose else None,
        # False for a study no article retells, found by the search: its articles' fields are empty.
        "retold": study.retold,
    }


def study_from_record(record: dict[str, Any]) -> Study:
    """Rebuild a study from `study_record` output (derived fields are recomputed)."""
    return Study(
        id=record["id"],
        title=record["title"],
        condition=record["condition"],
        design=record["design"],
        outcome=record["outcome"],
        effect=record["effect"],
        sources=tuple(Source(s["seed"], s["quote"]) for s in record["sources"]),
        year=record["year"],
        place=record["place"],
        investigators=tuple(record["investigators"]),
        population=record["population"],
        n=record["n"],
        duration=(
            Duration.parse(record["duration"], record.get("duration_kind")) if record["duration"] is not None else None
        ),
        dose=Dose.parse(record["dose"]) if record["dose"] is not None else None,
        findings=tuple(Finding(f["measure"], f["effect"], f["detail"]) for f in record["findings"]),
        adverse_events=tuple(AdverseEvent(a["event"], a["share"]) for a in record["adverse_events"]),
        tolerability=record["tolerability"],
        notes=record["notes"],
        mention=bool(record.get("mention")),
        includes=tuple(record.get("includes") or ()),
    )
