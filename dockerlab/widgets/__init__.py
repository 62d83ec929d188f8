"""ipywidgets composites that drive the daemon through ``dockerlab.core`` (never docker-py)."""
from .base import LabWidget

__all__ = ["LabWidget"]
