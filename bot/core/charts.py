"""The /stats chart: right answers per letter, as a PNG sized for a phone (matplotlib is loaded on
first use)."""

from __future__ import annotations

import io

from ml.writing.fonts import plot_font
from storage.queries import LetterScore

WIDTH_INCHES = 4.5
DPI = 160
"""720 pixels wide: a phone shows it at full width without shrinking the labels."""
MOST_SHOWN = 15
"""Letters on one chart, the weakest first."""
STUB = 2.0
"""A 0% letter still gets a sliver of a bar (in percent), so that it can be seen."""


def accuracy_chart(scores: list[LetterScore], title: str) -> bytes:
    """Horizontal bars of each letter's share of right answers, weakest on top (at most
    :data:`MOST_SHOWN`), each labelled "right of asked"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    path = plot_font()
    font = FontProperties(fname=str(path), size=18) if path else None
    shown = sorted(scores, key=lambda s: (s.accuracy, -s.attempts, s.letter))[:MOST_SHOWN]
    shown.reverse()  # barh draws from the bottom up
    height = 0.5 * len(shown) + 1.0
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, height), dpi=DPI)
    try:
        percents = [max(100 * s.accuracy, STUB) for s in shown]
        colours = ["#d0574a" if s.accuracy < 0.5 else "#4a7bd0" for s in shown]
        bars = axes.barh(range(len(shown)), percents, color=colours, height=0.7)
        axes.bar_label(
            bars, labels=[f" {s.correct} of {s.attempts}" for s in shown], fontsize=11, padding=2
        )
        axes.set_yticks(range(len(shown)), [s.letter for s in shown], fontproperties=font)
        axes.set_xlim(0, 130)
        axes.set_xticks([0, 50, 100], ["0%", "50%", "100%"], fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(title, fontsize=13)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
