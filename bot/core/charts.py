"""The /stats chart: right answers per letter, as a PNG (matplotlib is loaded on first use)."""

from __future__ import annotations

import io

from ml.writing.fonts import plot_font
from storage.queries import LetterScore


def accuracy_chart(scores: list[LetterScore], title: str) -> bytes:
    """A bar chart of each letter's share of right answers (bar labels: right/asked)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    path = plot_font()
    font = FontProperties(fname=str(path)) if path else None
    figure, axes = plt.subplots(figsize=(max(4.0, 0.45 * len(scores) + 1.5), 3.2), dpi=100)
    try:
        bars = axes.bar(
            range(len(scores)), [100 * s.accuracy for s in scores], color="#4a7bd0", width=0.7
        )
        axes.bar_label(bars, labels=[f"{s.correct}/{s.attempts}" for s in scores], fontsize=7)
        axes.set_xticks(
            range(len(scores)), [s.letter for s in scores], fontproperties=font, fontsize=14
        )
        axes.set_ylim(0, 110)
        axes.set_ylabel("% right")
        axes.set_title(title)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
