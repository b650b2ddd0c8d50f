"""Lifecycles of each case kind and the policy beside them. Imports nothing of the project."""

from workflows.aid import AID
from workflows.disputes import DISPUTE
from workflows.lifecycle import Lifecycle, Move

__all__ = ["AID", "DISPUTE", "Lifecycle", "Move"]
