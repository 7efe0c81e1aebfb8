"""The promotion gate of a retrain, for letter and syllable readers alike: a candidate replaces
the current model only if the learners' pictures are read strictly better, each by a reader
trained without its learner (:func:`ml.jobs.retrain.cross_fitted`,
:func:`ml.jobs.syllable_retrain.cross_fitted`), than the current model reads them, and it does not
fall behind on the fixed held-out set (overall, and on any letter); without collected pictures,
only if it reads the fixed set better. :func:`settle` judges, records the decision next to the
candidate in the registry and promotes it when it passed."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from ml.evaluation.evaluate import Report
from ml.jobs.retrain_job import REPORT_FILE
from ml.reading.registry import ModelVersion, Registry

log = logging.getLogger(__name__)

FIXED_SET_TOLERANCE = 0.005
"""A candidate judged on learners' pictures may read the fixed held-out set this much worse
overall (sampling noise), no more."""


@dataclass
class Decision:
    """One model's comparison and what was decided: ``before``/``after`` on the fixed held-out
    set, ``learners_before``/``learners_after`` on the held-out learners' pictures (None when the
    retrain had no collected samples)."""

    name: str
    before_version: str
    after_version: str | None
    before: dict
    after: dict
    learners_before: dict | None
    learners_after: dict | None
    worst_letter_drop: float
    promoted: bool
    reason: str


def worst_drop(before: Report, after: Report) -> tuple[str, float]:
    """The letter whose accuracy fell most from ``before`` to ``after``, and by how much (none,
    0.0, when ``before`` has no letter figures)."""
    drops = {x: before.per_letter[x] - after.per_letter.get(x, 0.0) for x in before.per_letter}
    return max(drops.items(), key=lambda item: item[1], default=("", 0.0))


def compare(before: Report, after: Report, max_drop: float) -> tuple[bool, float, str]:
    """Whether ``after`` should replace ``before`` judged on one set; the worst per-letter drop;
    why."""
    letter, worst = worst_drop(before, after)
    if after.accuracy <= before.accuracy:
        return False, worst, f"not better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"
    if worst > max_drop:
        return False, worst, f"{letter} fell by {worst:.1%} (more than {max_drop:.0%})"
    return True, worst, f"better overall ({after.accuracy:.2%} vs {before.accuracy:.2%})"


def judge(
    learners: tuple[Report, Report], fixed: tuple[Report, Report], max_drop: float
) -> tuple[bool, float, str]:
    """Whether a candidate should replace the current model: strictly better on the held-out
    learners' pictures, and on the fixed set at most :data:`FIXED_SET_TOLERANCE` worse overall
    and ``max_drop`` worse on any letter. Each pair is (current, candidate)."""
    (learners_before, learners_after), (fixed_before, fixed_after) = learners, fixed
    letter, worst = worst_drop(fixed_before, fixed_after)
    on_learners = f"{learners_before.accuracy:.1%} → {learners_after.accuracy:.1%}"
    on_fixed = f"{fixed_before.accuracy:.2%} → {fixed_after.accuracy:.2%}"
    if learners_after.accuracy <= learners_before.accuracy:
        return False, worst, f"not better on the held-out learners' pictures ({on_learners})"
    if fixed_after.accuracy < fixed_before.accuracy - FIXED_SET_TOLERANCE:
        return False, worst, f"worse on the fixed held-out set ({on_fixed})"
    if worst > max_drop:
        return False, worst, f"{letter} fell by {worst:.1%} on the fixed held-out set"
    better = f"better on the held-out learners' pictures ({on_learners}; fixed set {on_fixed})"
    return True, worst, better


def _figures(report: Report) -> dict:
    return {"accuracy": round(report.accuracy, 4), "n": report.n, "per_letter": report.per_letter}


def settle(
    registry: Registry,
    current: ModelVersion,
    candidate: ModelVersion,
    fixed: tuple[Report, Report],
    learners: tuple[Report, Report] | None,
    max_drop: float,
    counts: dict,
) -> Decision:
    """Judge ``candidate`` against ``current`` (each pair is (current, candidate); ``learners``
    None when there were no collected pictures), write the decision into the candidate's folder
    with ``counts`` (the data it was trained and judged on) and promote it if it passed."""
    if learners:
        promoted, worst, reason = judge(learners, fixed, max_drop)
    else:
        promoted, worst, reason = compare(*fixed, max_drop)
    decision = Decision(
        current.name,
        current.version,
        candidate.version,
        _figures(fixed[0]),
        _figures(fixed[1]),
        _figures(learners[0]) if learners else None,
        _figures(learners[1]) if learners else None,
        round(worst, 4),
        promoted,
        reason,
    )
    (candidate.path / REPORT_FILE).write_text(
        json.dumps({"data": counts, **asdict(decision)}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    if promoted:
        registry.promote(current.name, candidate.version)
        log.info("promoted %s %s: %s", current.name, candidate.version, reason)
    else:
        log.info("kept %s %s: %s", current.name, current.version, reason)
    return decision
