"""The report as one self-contained HTML page."""

from __future__ import annotations

from html import escape

from casework.statistics.figures import Report


def html(report: Report, lang: str = "en") -> str:
    from casework.statistics.render import _title, rows

    title = escape(_title(report, lang))
    body = "\n".join(
        f"<tr><td>{escape(s)}</td><td>{escape(m)}</td><td class=n>{escape(v)}</td></tr>"
        for s, m, v in rows(report, lang)
    )
    return (
        f"<!doctype html><html lang={'zh-Hant' if lang == 'zh' else 'en'}><head>"
        f"<meta charset=utf-8><title>{title}</title><style>"
        "body{font-family:sans-serif;margin:2em}td{padding:2px 8px}.n{text-align:right}"
        f"</style></head><body><h1>{title}</h1><table>{body}</table></body></html>\n"
    )
