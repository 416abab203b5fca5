"""The live views: gradients, feature maps, activations, weights, boundary, evaluation,
runs. `install_views(studio, add_view)` adds them as tabs and wires them up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nnstudio.ui.studio import Studio
from nnstudio.ui.views.activations import ActivationsView
from nnstudio.ui.views.attention import AttentionView
from nnstudio.ui.views.base import ProbeDemand, View, probe_demand
from nnstudio.ui.views.boundary import DecisionBoundaryView
from nnstudio.ui.views.evaluation import EvaluationView
from nnstudio.ui.views.feature_maps import FeatureMapView
from nnstudio.ui.views.gradients import GradientsView
from nnstudio.ui.views.hidden_state import HiddenStateView
from nnstudio.ui.views.runs_view import RunsView
from nnstudio.ui.views.through_time import ThroughTimeView
from nnstudio.ui.views.weights import WeightsView

__all__ = [
    "VIEW_CLASSES",
    "ActivationsView",
    "AttentionView",
    "DecisionBoundaryView",
    "EvaluationView",
    "FeatureMapView",
    "GradientsView",
    "HiddenStateView",
    "ProbeDemand",
    "RunsView",
    "ThroughTimeView",
    "View",
    "WeightsView",
    "install_views",
    "probe_demand",
    "view_title",
]

# Tab order; keys are the names presets use for their `view` ("gradients", ...).
VIEW_CLASSES: dict[str, type[View]] = {
    "boundary": DecisionBoundaryView,
    "gradients": GradientsView,
    "feature-maps": FeatureMapView,
    "activations": ActivationsView,
    "weights": WeightsView,
    "evaluation": EvaluationView,
    "attention": AttentionView,  # sequences
    "through-time": ThroughTimeView,
    "hidden-state": HiddenStateView,
    "runs": RunsView,
}


def view_title(cls: type[View]) -> str:
    titles = {  # literal strings, so lupdate finds them
        "Gradients": QCoreApplication.translate("views", "Gradients"),
        "Feature maps": QCoreApplication.translate("views", "Feature maps"),
        "Activations": QCoreApplication.translate("views", "Activations"),
        "Weights": QCoreApplication.translate("views", "Weights"),
        "Decision boundary": QCoreApplication.translate("views", "Decision boundary"),
        "Evaluation": QCoreApplication.translate("views", "Evaluation"),
        "Runs": QCoreApplication.translate("views", "Runs"),
        "Attention": QCoreApplication.translate("views", "Attention"),
        "Through time": QCoreApplication.translate("views", "Through time"),
        "Hidden state": QCoreApplication.translate("views", "Hidden state"),
    }
    return titles.get(cls.TITLE, cls.TITLE)


def install_views(
    studio: Studio, add_view: Callable[[QWidget, str], Any]
) -> dict[str, View]:
    """Create every view, add it with `add_view(widget, title)`, bind it to `studio`.

    Returns {preset view name: widget} so the window can open a preset on its view.
    """
    views = {key: cls() for key, cls in VIEW_CLASSES.items()}
    demand = probe_demand(studio)
    for view in views.values():
        add_view(view, view_title(type(view)))
        view.bind(studio, demand)
    runs_view = views["runs"]
    assert isinstance(runs_view, RunsView)
    runs_view.views = {view_title(type(v)): v for k, v in views.items() if k != "runs"}
    return views
