"""The leaders' weekly chart: a PNG drawn with matplotlib (Agg) and a bundled CJK font."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.reports.summary import Figures

# Noto Sans CJK SC ships inside the mplfonts package, so every machine draws Chinese the
# same way, with no system font to install.
FONT_PACKAGE, FONT_FILE = "mplfonts", "fonts/NotoSansCJKsc-Regular.otf"

LABELS = {
    "zh": ("联席会议", "检查企业", "发现问题", "责令整改", "立案查处"),
    "en": ("Meetings", "Enterprises", "Problems", "Orders", "Cases"),
}
TITLES = {
    "zh": ("联合抽查周报 {start} 至 {end}", "上周", "本年累计"),
    "en": ("Joint spot checks, {start} to {end}", "Last week", "Year to date"),
}


def cjk_font_path() -> Path:
    """The bundled CJK font file (raises when the package is missing)."""
    path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"CJK font not found: {path}")
    return path


def _values(f: Figures) -> list[int]:
    return [
        f.meetings_held,
        f.enterprises_inspected,
        f.problems_found,
        f.notices_issued,
        f.cases_filed,
    ]


def weekly_chart(week: Figures, year: Figures, lang: str = "zh") -> bytes:
    """Two bar panels, this week and the year to date, as PNG bytes."""
    # matplotlib takes half a second to import: loaded when a chart is drawn, not at start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = FontProperties(fname=str(cjk_font_path()))
    labels = LABELS.get(lang, LABELS["zh"])
    title, left, right = TITLES.get(lang, TITLES["zh"])
    figure = Figure(figsize=(9, 4.2), dpi=110)
    FigureCanvasAgg(figure)
    figure.suptitle(
        title.format(start=week.period.start, end=week.period.end), fontproperties=font, fontsize=14
    )
    for index, (name, figures, colour) in enumerate(
        ((left, week, "#2f6db5"), (right, year, "#c0504d")), start=1
    ):
        axes = figure.add_subplot(1, 2, index)
        values = _values(figures)
        bars = axes.bar(range(len(values)), values, color=colour)
        axes.set_title(name, fontproperties=font)
        axes.set_xticks(range(len(values)))
        axes.set_xticklabels(labels, fontproperties=font)
        axes.bar_label(bars, labels=[str(v) for v in values])
        axes.set_ylim(0, max([*values, 1]) * 1.25)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
