"""Lifecycles of each case kind and the policy beside them. Imports nothing of the project."""

from workflows.aid import AID
from workflows.disputes import DISPUTE, MEDIATION_DAYS
from workflows.lifecycle import Lifecycle, Move

__all__ = ["AID", "DISPUTE", "MEDIATION_DAYS", "Lifecycle", "Move"]
