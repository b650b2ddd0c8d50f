"""The report as one self-contained HTML page: key figures, inline SVG charts, the tables.

Nothing is fetched: no scripts, fonts or stylesheets from elsewhere, so the page can be
mailed, archived with the half-year report, and opened offline years later. Every piece of
text that comes from the report (fund codes, employers, mediators) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from casework import labels
from casework.statistics.explain import Explanation, Listed
from casework.statistics.figures import Report
from casework.statistics.formats import note, rows, sections, shown, title

Bar = tuple[str, int | Decimal, str]  # (label, value, the value as shown)

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999")
STATE_COLOURS = {"closing": "#56B4E9", "answered": "#0072B2", "referred": "#F0E442",
                 "declined": "#999999", "withdrawn": "#CC79A7", "escalated": "#E69F00",
                 "terminated": "#D55E00", "resolved": "#009E73"}


def html(report: Report, lang: str = "en",
         explained: Mapping[str, Explanation] | None = None) -> str:
    """The page in `lang`: en, zh (simplified, also zh-Hans) or zh-Hant (traditional).
    With `explained` (figure → the cases behind it), every such figure links to its list,
    a section of its own at the end of the page."""
    lang = labels.normalise_lang(lang)
    explained = explained or {}
    heading = escape(title(report, lang))
    said = note(report, lang)
    aside = "" if said is None else f"<p class=note>{escape(said)}</p>"
    return (
        f'<!doctype html>\n<html lang="{labels.TAGS[lang]}"><head><meta charset=utf-8>'
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{heading}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{heading}</h1>{aside}</header>"
        f"<h2>{escape(_word('html.key', lang))}</h2>{_key_figures(report, lang)}"
        f"<h2>{escape(_word('html.charts', lang))}</h2>"
        f"<div class=charts>{_charts(report, lang)}</div>"
        f"<h2>{escape(_word('html.tables', lang))}</h2>{_tables(report, lang, explained)}"
        f"{_explained(report, lang, explained)}"
        "</body></html>\n"
    )


def _word(key: str, lang: str, **values: object) -> str:
    return labels.name(key, lang).format(**values)


def _key_figures(report: Report, lang: str) -> str:
    d, a = report.disputes, report.aid
    cards = [
        ("disputes", "received", shown(d.received)),
        ("disputes", "handling_rate", shown(d.handling_rate, rate=True)),
        ("disputes", "success_rate", shown(d.success_rate, rate=True)),
        ("disputes", "amount_involved", shown(d.amount_involved)),
        ("aid", "requests", shown(a.requests)),
        ("aid", "handling_rate", shown(a.handling_rate, rate=True)),
        ("aid", "workers_helped", shown(a.workers_helped)),
        ("aid", "amount_paid", shown(a.amount_paid)),
    ]
    return "<div class=cards>" + "".join(
        f"<div class=card><div class=section>{escape(_word(f'section.{section}', lang))}</div>"
        f"<div class=figure>{escape(value)}</div>"
        f"<div class=label>{escape(labels.label(f'{section}.{key}', lang))}</div></div>"
        for section, key, value in cards
    ) + "</div>"


def _charts(report: Report, lang: str) -> str:
    """Bars are named without units: the chart's title says what they count."""
    d, a = report.disputes, report.aid

    def bars(prefix: str, counts: dict[str, int]) -> list[Bar]:
        """A bar a category or channel; one the labels do not know yet keeps its code."""
        return [(labels.name(f"{prefix}.{k}", lang) if f"{prefix}.{k}" in labels.KEYS else k,
                 n, shown(n)) for k, n in counts.items()]

    outcomes = {**d.concluded_by_outcome, "closing": d.closing}
    states = [(labels.name(f"disputes.{s}", lang), outcomes.get(s, 0), shown(outcomes.get(s, 0)))
              for s in STATE_COLOURS]
    paid = [(labels.name(f"aid.{k}", lang), getattr(a, k), shown(getattr(a, k)))
            for k in ("one_off_paid", "subsidies_paid", "campaigns_paid")]
    return "".join([
        _bars(_word("chart.outcomes", lang), states, lang, list(STATE_COLOURS.values())),
        _bars(_word("chart.categories", lang), bars("category", d.resolved_by_category), lang),
        _columns(_word("chart.months", lang), list(d.resolved_by_month.items()), lang),
        _bars(_word("chart.funds", lang, as_of=report.as_of),
              [(code, v, shown(v)) for code, v in a.fund_balances.items()], lang),
        _bars(_word("chart.paid", lang), paid, lang),
        _bars(_word("chart.channels", lang), bars("channel", d.by_channel), lang),
        _bars(_word("chart.aid_channels", lang), bars("channel", a.received_by_channel), lang),
    ])


def _figure(title: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(title)}</figcaption>{svg}</figure>"


def _empty(title: str, lang: str) -> str:
    return _figure(title, f"<p class=empty>{escape(_word('html.empty', lang))}</p>")


def _bars(title: str, bars: Sequence[Bar], lang: str,
          colours: Sequence[str] = PALETTE) -> str:
    """Horizontal bars, one a row, scaled to the largest; zeros are drawn as zeros."""
    if not bars:
        return _empty(title, lang)
    width, left, right, row = 560, 190, 110, 28
    peak = max(float(v) for _, v, _ in bars) or 1.0
    parts = []
    for i, (label, value, text) in enumerate(bars):
        y = 6 + i * row
        w = (width - left - right) * float(value) / peak
        parts.append(
            f"<text x='{left - 8}' y='{y + 18}' text-anchor='end'>{escape(label)}</text>"
            f"<rect x='{left}' y='{y + 5}' width='{w:.1f}' height='{row - 10}' "
            f"fill='{colours[i % len(colours)]}'><title>{escape(f'{label}: {text}')}</title>"
            f"</rect><text x='{left + w + 6:.1f}' y='{y + 18}'>{escape(text)}</text>"
        )
    return _figure(title, _svg(title, width, 12 + row * len(bars), "".join(parts)))


def _columns(title: str, columns: Sequence[tuple[str, int]], lang: str) -> str:
    """A column a period (month), left to right in time order."""
    if not columns:
        return _empty(title, lang)
    width, height, bottom, top = 560, 220, 30, 22
    peak = max(n for _, n in columns) or 1
    slot = (width - 20) / len(columns)
    parts = [f"<line x1='10' y1='{height - bottom}' x2='{width - 10}' y2='{height - bottom}' "
             "stroke='#555'/>"]
    for i, (label, n) in enumerate(columns):
        h = (height - bottom - top) * n / peak
        x = 10 + i * slot
        mid = x + slot / 2
        parts.append(
            f"<rect x='{x + slot * 0.15:.1f}' y='{height - bottom - h:.1f}' "
            f"width='{slot * 0.7:.1f}' height='{h:.1f}' fill='{PALETTE[0]}'>"
            f"<title>{escape(f'{label}: {n}')}</title></rect>"
            f"<text x='{mid:.1f}' y='{height - bottom - h - 5:.1f}' text-anchor='middle'>"
            f"{n}</text>"
            f"<text x='{mid:.1f}' y='{height - 10}' text-anchor='middle'>{escape(label)}</text>"
        )
    return _figure(title, _svg(title, width, height, "".join(parts)))


def _svg(title: str, width: int, height: int, body: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' role='img' "
            f"aria-label='{escape(title)}' viewBox='0 0 {width} {height}' width='{width}' "
            f"height='{height}'>{body}</svg>")


def anchor(key: str) -> str:
    """The id of the section listing the cases behind figure `key`."""
    return "why-" + "".join(c if c.isalnum() or c in "._-" else "_" for c in key)


def _tables(report: Report, lang: str, explained: Mapping[str, Explanation]) -> str:
    out = []
    head = (f"<thead><tr><th scope=col>{escape(_word('column.metric', lang))}</th>"
            f"<th scope=col>{escape(_word('column.value', lang))}</th></tr></thead>")
    for caption, lines in sections(rows(report, lang)):
        body = "".join(
            f"<tr><th scope=row>{escape(r.label)}</th><td>"
            + (f"<a href='#{anchor(r.key)}'>{escape(r.shown)}</a>" if r.key in explained
               else escape(r.shown)) + "</td></tr>"
            for r in lines)
        out.append(f"<table><caption>{escape(caption)}</caption>{head}"
                   f"<tbody>{body}</tbody></table>")
    return "<div class=tables>" + "".join(out) + "</div>"


def _explained(report: Report, lang: str, explained: Mapping[str, Explanation]) -> str:
    if not explained:
        return ""
    labelled = {r.key: r for r in rows(report, lang)}
    columns = ("number", "org", "state", "received", "on", "counts")
    head = "".join(f"<th scope=col>{escape(_word(f'explain.{c}', lang))}</th>" for c in columns)

    def listing(title: str, cases: Sequence[Listed]) -> str:
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(getattr(c, col)))}</td>" for col in columns)
            + "</tr>" for c in cases)
        return (f"<table class=lst><caption>{escape(title)} ({len(cases)})</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    parts = []
    for key, e in explained.items():
        row = labelled.get(key)
        if row is None:
            continue
        lists = listing(_word("html.numerator", lang), e.numerator)
        if e.denominator is not None:
            lists += listing(_word("html.denominator", lang), e.denominator)
        parts.append(
            f"<section id='{anchor(key)}'><h3>{escape(row.section_label)} · "
            f"{escape(row.label)}: {escape(row.shown)}</h3>"
            f"<p>{escape(_word('explain.basis', lang))}: {escape(e.basis)}</p>{lists}</section>")
    return f"<h2>{escape(_word('html.explain', lang))}</h2>" + "".join(parts)


CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans",sans-serif;margin:2em;color:#222;
background:#fff}
:lang(zh-Hant) body{font-family:system-ui,"Noto Sans CJK TC","Noto Sans",sans-serif}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.5em 0 .5em}
.note{color:#a33;margin:0}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:.8em}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em .8em;background:#f7f9fc}
.card .section{font-size:.75em;color:#666}.card .figure{font-size:1.6em;font-weight:600}
.card .label{font-size:.85em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:1em}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.6em}
figcaption{font-weight:600;margin-bottom:.4em}
svg{max-width:100%;height:auto;font-size:13px}svg text{fill:#222}
.empty{color:#888}
.tables{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1em;
align-items:start}
table{border-collapse:collapse;width:100%}
caption{font-weight:600;text-align:left;padding-bottom:.3em}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;font-weight:normal}
thead th{font-weight:600;border-bottom:2px solid #ccc}
td{text-align:right;font-variant-numeric:tabular-nums}
.lst{margin:.5em 0 1em}.lst td{text-align:left}
@media print{.charts,.tables{display:block}figure,table{break-inside:avoid;margin-bottom:1em}}
"""
