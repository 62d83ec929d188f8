"""ipywidgets composites that drive the daemon through the commands and reads layers (never
docker-py), each on the :class:`LabWidget` frame; the lesson frame and the exercise widgets."""
from .base import LabWidget
from .build import BuildRunner
from .containers import ContainerTable
from .events import EventLog
from .exec import ExecConsole
from .exercise import CheckWidget, ProgressWidget
from .images import ImageTable
from .inspect import InspectViewer
from .layers import LayerExplorer
from .lesson import Lesson
from .logs import LogViewer
from .network_map import NetworkMap
from .networks import NetworkPanel
from .processes import ProcessTable
from .run_builder import RunBuilder
from .stats import StatsMonitor
from .volumes import VolumePanel

__all__ = ["LabWidget", "BuildRunner", "ContainerTable", "EventLog", "ExecConsole", "CheckWidget", "ProgressWidget",
           "ImageTable", "InspectViewer", "LayerExplorer", "Lesson", "LogViewer", "NetworkMap", "NetworkPanel",
           "ProcessTable", "RunBuilder", "StatsMonitor", "VolumePanel"]
