"""The report as one self-contained HTML page: key figures, inline SVG charts, the tables.

Nothing is fetched: no scripts, fonts or stylesheets from elsewhere, so the page can be
mailed, archived with the half-year report, and opened offline years later. Every piece of
text that comes from the report (fund codes, employers, mediators) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from itertools import groupby

from casework.statistics.figures import Report
from casework.statistics.render import ZH, ZH_AID, _title, rows

Bar = tuple[str, int | Decimal, str]  # (label, value, the value as shown)

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999")
STATE_COLOURS = {"open": "#56B4E9", "answered": "#0072B2", "referred": "#F0E442",
                 "declined": "#999999", "withdrawn": "#CC79A7", "escalated": "#E69F00",
                 "terminated": "#D55E00", "resolved": "#009E73"}

WORDS = {  # English, Chinese (the source document's traditional characters)
    "disputes": ("Labour disputes", ZH["disputes"]),
    "aid": ("Hardship aid", ZH["aid"]),
    "warnings": ("Early warnings", ZH["warnings"]),
    "key": ("Key figures", "主要數據"),
    "charts": ("Charts", "圖表"),
    "tables": ("All figures", "全部數據"),
    "metric": ("Figure", "項目"),
    "value": ("Value", "數值"),
    "states": ("Disputes by state on {as_of}", "爭議案件狀態({as_of})"),
    "categories": ("Resolved disputes by category", "成功調處按類別(件)"),
    "months": ("Resolutions by month", "成功調處按月(件)"),
    "channels": ("Disputes received by channel", "爭議接待方式(件)"),
    "aid_channels": ("Aid requests received by channel", "幫扶接待方式(人次)"),
    "paid": ("Aid paid by kind (yuan)", "幫扶資金按類別(元)"),
    "funds": ("Fund balances on {as_of} (yuan)", "幫困基金餘額({as_of},元)"),
    "known_at": ("As recorded by {known_at}", "按{known_at}前已記錄的數據"),
    "empty": ("nothing to show", "無數據"),
}


def html(report: Report, lang: str = "en") -> str:
    """The page, in English or (lang="zh") in the source document's Chinese terms."""
    zh = lang == "zh"
    title = escape(_title(report, lang))
    note = ""
    if report.known_at is not None:
        note = f"<p class=note>{escape(_word('known_at', lang, known_at=report.known_at))}</p>"
    return (
        f"<!doctype html>\n<html lang={'zh-Hant' if zh else 'en'}><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{title}</h1>{note}</header>"
        f"<h2>{escape(_word('key', lang))}</h2>{_key_figures(report, lang)}"
        f"<h2>{escape(_word('charts', lang))}</h2><div class=charts>{_charts(report, lang)}</div>"
        f"<h2>{escape(_word('tables', lang))}</h2>{_tables(report, lang)}"
        "</body></html>\n"
    )


def _word(key: str, lang: str, **values: object) -> str:
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def _name(section: str, key: str, lang: str) -> str:
    """One metric's or category's name: the source document's term, or plain English."""
    if lang == "zh":
        table = ZH_AID if section == "aid" and key in ZH_AID else ZH
        return table.get(key, key)
    return key.replace("_", " ")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _shown(value: int | float | Decimal | None, rate: bool = False) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%"
    return _money(value) if isinstance(value, Decimal) else str(value)


def _key_figures(report: Report, lang: str) -> str:
    d, a = report.disputes, report.aid
    cards = [
        ("disputes", "received", _shown(d.received)),
        ("disputes", "handling_rate", _shown(d.handling_rate, rate=True)),
        ("disputes", "success_rate", _shown(d.success_rate, rate=True)),
        ("disputes", "amount_involved", _shown(d.amount_involved)),
        ("aid", "received", _shown(a.received)),
        ("aid", "handling_rate", _shown(a.handling_rate, rate=True)),
        ("aid", "workers_helped", _shown(a.workers_helped)),
        ("aid", "amount_paid", _shown(a.amount_paid)),
    ]
    return "<div class=cards>" + "".join(
        f"<div class=card><div class=section>{escape(_word(section, lang))}</div>"
        f"<div class=figure>{escape(value)}</div>"
        f"<div class=label>{escape(_name(section, key, lang))}</div></div>"
        for section, key, value in cards
    ) + "</div>"


def _charts(report: Report, lang: str) -> str:
    d, a = report.disputes, report.aid
    states = [(_name("disputes", s, lang), getattr(d, s), str(getattr(d, s)))
              for s in STATE_COLOURS]
    paid = [(_name("aid", k, lang), getattr(a, k), _money(getattr(a, k)))
            for k in ("one_off_paid", "subsidies_paid", "campaigns_paid")]
    return "".join([
        _bars(_word("states", lang, as_of=report.as_of), states, lang,
              list(STATE_COLOURS.values())),
        _bars(_word("categories", lang),
              [(_name("disputes", c, lang), n, str(n))
               for c, n in d.resolved_by_category.items()], lang),
        _columns(_word("months", lang), list(d.resolved_by_month.items()), lang),
        _bars(_word("funds", lang, as_of=report.as_of),
              [(code, v, _money(v)) for code, v in a.fund_balances.items()], lang),
        _bars(_word("paid", lang), paid, lang),
        _bars(_word("channels", lang),
              [(_name("disputes", c, lang), n, str(n)) for c, n in d.by_channel.items()], lang),
        _bars(_word("aid_channels", lang),
              [(_name("aid", c, lang), n, str(n)) for c, n in a.received_by_channel.items()], lang),
    ])


def _figure(title: str, svg: str) -> str:
    return f"<figure><figcaption>{escape(title)}</figcaption>{svg}</figure>"


def _empty(title: str, lang: str) -> str:
    return _figure(title, f"<p class=empty>{escape(_word('empty', lang))}</p>")


def _bars(title: str, bars: Sequence[Bar], lang: str,
          colours: Sequence[str] = PALETTE) -> str:
    """Horizontal bars, one a row, scaled to the largest; zeros are drawn as zeros."""
    if not bars:
        return _empty(title, lang)
    width, left, right, row = 560, 190, 110, 28
    peak = max(float(v) for _, v, _ in bars) or 1.0
    parts = []
    for i, (label, value, shown) in enumerate(bars):
        y = 6 + i * row
        w = (width - left - right) * float(value) / peak
        parts.append(
            f"<text x='{left - 8}' y='{y + 18}' text-anchor='end'>{escape(label)}</text>"
            f"<rect x='{left}' y='{y + 5}' width='{w:.1f}' height='{row - 10}' "
            f"fill='{colours[i % len(colours)]}'><title>{escape(f'{label}: {shown}')}</title>"
            f"</rect><text x='{left + w + 6:.1f}' y='{y + 18}'>{escape(shown)}</text>"
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


def _tables(report: Report, lang: str) -> str:
    out = []
    for section, lines in groupby(rows(report, lang), key=lambda r: r[0]):
        body = "".join(
            f"<tr><th scope=row>{escape(metric if lang == 'zh' else _plain(metric))}</th>"
            f"<td>{escape(value)}</td></tr>"
            for _, metric, value in lines
        )
        caption = WORDS[section][0] if lang != "zh" and section in WORDS else section
        out.append(f"<table><caption>{escape(caption)}</caption><thead><tr>"
                   f"<th scope=col>{escape(_word('metric', lang))}</th>"
                   f"<th scope=col>{escape(_word('value', lang))}</th></tr></thead>"
                   f"<tbody>{body}</tbody></table>")
    return "<div class=tables>" + "".join(out) + "</div>"


def _plain(metric: str) -> str:
    """"days_to_resolution.median" → "days to resolution · median"."""
    return " · ".join(part.replace("_", " ") for part in metric.split("."))


CSS = """
body{font-family:system-ui,"Noto Sans CJK TC","Noto Sans",sans-serif;margin:2em;color:#222;
background:#fff}
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
@media print{.charts,.tables{display:block}figure,table{break-inside:avoid;margin-bottom:1em}}
"""
