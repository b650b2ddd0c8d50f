"""Aid funds: opened by a union body, fed by drives and allocations, paid out by aid."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from casework.access import ActorLike
from casework.clock import When
from casework.errors import AlreadyExists
from casework.service import Service
from casework.statistics.projection import CaseSummaries
from casework.views import FundView, LedgerLine
from domain.funds import AidFund
from domain.values import Code, FundCode, PositiveMoney, Text, check
from workflows.aid import ROLES


class Funds(Service):
    roles = ROLES

    def __init__(self, *deps: Any, summaries: CaseSummaries) -> None:
        super().__init__(*deps)
        self.summaries = summaries  # the ledgers: every movement, from the read model

    def open(self, code: FundCode, *, name: str, org: str | None = None, at: When = None,
             actor: str) -> str:
        """Open an aid fund of a union body."""
        v = check(code=(Code, code), name=(Text, name), org=(Code, org or self.org))
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), "fund", "open", when, (v["code"], v["org"]))
        if self.log.exists(AidFund, v["code"]):
            raise AlreadyExists("fund", v["code"])
        self.log.record(AidFund(code=v["code"], org=v["org"], name=v["name"], at=when,
                                actor=who))
        return str(v["code"])

    def contribute(self, code: FundCode, *, amount: Decimal | int | str, source: str,
                   at: When = None, actor: str) -> None:
        """Money in: a donation drive (一日捐), an allocation from a higher federation."""
        v = check(amount=(PositiveMoney, amount), source=(Text, source))
        self._change(AidFund, code, at, actor, "contribute",
                     lambda f, when, who: f.contribute(amount=v["amount"], source=v["source"],
                                                       at=when, actor=who), name="fund")

    def balance(self, code: str, *, actor: ActorLike | None = None) -> Decimal:
        return self.get(code, actor=actor).balance

    def get(self, code: FundCode, *, actor: ActorLike | None = None) -> FundView:
        """A fund's balance and totals."""
        f, _ = self._read(AidFund, code, actor, "fund")
        return FundView(code=f.key, org=f.org, name=f.name, balance=f.balance,
                        contributed=f.contributed, disbursed=f.disbursed)

    def ledger(self, code: FundCode, *, actor: ActorLike | None = None) -> list[LedgerLine]:
        """Every movement of a fund, oldest first: money in (+) and out (-), what for."""
        f, _ = self._read(AidFund, code, actor, "fund")
        self.summaries.catch_up()
        moves = self.summaries.tables.select("fund_moves", "WHERE fund = ? ORDER BY at, seq",
                                             [f.key])
        return [LedgerLine(at=datetime.fromisoformat(m.at), fund=m.fund, org=m.org,
                           purpose=m.purpose, amount=Decimal(m.amount)) for m in moves]
