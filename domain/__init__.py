"""The domain model: aggregates whose methods are events. No I/O, no configuration."""

from domain.aid import HardshipAidCase
from domain.disputes import LabourDispute
from domain.funds import AidFund
from domain.register import RegisteredWorker

__all__ = ["AidFund", "HardshipAidCase", "LabourDispute", "RegisteredWorker"]
