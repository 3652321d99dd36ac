"""The annual progress chart: each department's five figures side by side, as a PNG."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from services.reports.charts import cjk_font_path

if TYPE_CHECKING:
    from services.reports.progress import YearProgress

LABELS = {
    "zh": ("计划", "已抽取", "已检查", "已审核", "已公示"),
    "en": ("Planned", "Drawn", "Checked", "Reviewed", "Published"),
}
TITLES = {
    "zh": ("{year}年度联合抽查进度（按部门）", "合计"),
    "en": ("Joint spot checks {year}: progress by department", "All"),
}
COLOURS = ("#9bbbe0", "#2f6db5", "#4f9a55", "#e0a030", "#c0504d")
MAX_NAME = 10  # characters of a department's name under its bars


def progress_chart(progress: YearProgress, lang: str = "zh") -> bytes:
    """Grouped bars, one group per department and one for the year, as PNG bytes."""
    # matplotlib takes half a second to import: loaded when a chart is drawn, not at start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=str(cjk_font_path()))
    labels = LABELS.get(lang, LABELS["zh"])
    title, total = TITLES.get(lang, TITLES["zh"])
    groups = [(d.name, d.counts.stages()) for d in progress.departments]
    groups.append((total, progress.total.stages()))
    width = 0.16
    figure = Figure(figsize=(max(7.0, 1.3 * len(groups) + 2), 4.6), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    top = max([1, *(v for _, values in groups for v in values)])
    for stage, (label, colour) in enumerate(zip(labels, COLOURS, strict=True)):
        xs = [g + (stage - 2) * width for g in range(len(groups))]
        values = [values[stage] for _, values in groups]
        bars = axes.bar(xs, values, width, color=colour, label=label)
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], fontsize=7)
    axes.set_xticks(range(len(groups)))
    names = [n if len(n) <= MAX_NAME else n[: MAX_NAME - 1] + "…" for n, _ in groups]
    axes.set_xticklabels(names, fontproperties=font, rotation=20 if len(groups) > 5 else 0)
    axes.set_ylim(0, top * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(prop=font, ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.15), frameon=False)
    axes.set_title(title.format(year=progress.year), fontproperties=font, fontsize=13)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
