"""Incidents as JSON-ready dicts and as a readable English summary (the shapes `rasad extract` prints)."""

from __future__ import annotations

from extractor.types import Incident


def incident_to_dict(i: Incident) -> dict[str, object]:
    """The `--json` shape: field names are a contract scripts depend on."""
    base: dict[str, object] | None = None
    if i.base is not None:
        base = {
            "id": i.base.id,
            "name_en": i.base.name_en,
            "name_ar": i.base.name_ar,
            "country": i.base.country,
            "province_en": i.base.province_en,
            "province_ar": i.base.province_ar,
            "lat": i.base.lat,
            "lon": i.base.lon,
        }
    return {
        "base": base,
        "country": i.country,
        "target_kind": str(i.target_kind),
        "date": i.date.isoformat() if i.date else None,
        "weapon": str(i.weapon),
        "count": i.count,
        "killed": i.killed,
        "wounded": i.wounded,
        "intercepted": i.intercepted,
        "claimed_by": i.claimed_by,
        "launch_site": i.launch_site,
        "sources": list(i.sources),
        "evidence": [e.text for e in i.evidence],
        "confidence": i.confidence,
        "province_en": i.province_en,
        "province_ar": i.province_ar,
        "is_claim": i.is_claim,
    }


def _num(n: int | None, unknown: str = "not stated") -> str:
    return unknown if n is None else str(n)


def format_summary(incidents: list[Incident]) -> str:
    """One block per incident, in English, for a person at a terminal."""
    if not incidents:
        return "No incidents found."
    blocks: list[str] = []
    for n, i in enumerate(incidents, 1):
        where = i.base.name_en if i.base else (f"unnamed site in {i.province_en}" if i.province_en else "unnamed site")
        country = (i.country or "country not stated").title()
        lines = [
            f"Incident {n}: {where} ({country}), {i.target_kind} target",
            f"  date: {i.date.isoformat() if i.date else 'not stated'}",
            f"  weapon: {i.weapon}, count: {_num(i.count)}" + (" (intercepted)" if i.intercepted else ""),
            f"  killed: {_num(i.killed)}, wounded: {_num(i.wounded)}",
        ]
        if i.claimed_by:
            lines.append(f"  claimed by: {i.claimed_by}")
        if i.launch_site:
            lines.append(f"  launched from: {i.launch_site}")
        if i.sources:
            lines.append(f"  sources: {', '.join(i.sources)}")
        lines.append(f"  confidence: {i.confidence:.2f}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


__all__ = ["format_summary", "incident_to_dict"]
