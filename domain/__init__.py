"""The domain model: aggregates whose methods are events. No I/O, no configuration."""

from domain.aid import AID_CASES, HardshipAidCase
from domain.bodies import Body
from domain.disputes import DISPUTES, LabourDispute
from domain.funds import AidFund
from domain.kind import Kind
from domain.register import RegisteredWorker
from domain.warnings import WARNINGS

#: Every kind of case the engine runs, by name.
KINDS: dict[str, Kind] = {k.name: k for k in (DISPUTES, AID_CASES, WARNINGS)}

__all__ = ["KINDS", "AidFund", "Body", "HardshipAidCase", "Kind", "LabourDispute",
           "RegisteredWorker"]
