"""That a row of an imported file became a record: the mark that makes an import exact.

A mark's id is the uuid5 of its kind and source reference (a file's row, or the file's own
id such as 编号), and it is saved in the same transaction as the record it opened, so the
store's uniqueness refuses a second record for the same row, even from two imports at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id


class ImportMark(Record):
    kind = "import"

    @staticmethod
    def key_for(kind: str, source: str) -> str:
        return f"{kind}:{source}"

    @staticmethod
    def create_id(key: str, **_: Any) -> UUID:
        return record_id(ImportMark.kind, key)

    @event("Marked")
    def __init__(self, *, key: str, org: str, record: str, at: datetime, actor: str) -> None:
        self._begin(key, "import", at, actor)
        self.org, self.record = org, record
