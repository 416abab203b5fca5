"""A plain-Python undo history: every user action is one named step.

A step swaps two immutable states (before, after), so undo is exact and whatever was
handed to a training thread can never change under it. The history knows which step
was saved last (`clean`), so "unsaved changes" is a comparison, not a flag to keep.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from nnstudio.core.i18n import Text, text

S = TypeVar("S")


@dataclass(frozen=True)
class Step(Generic[S]):
    """One user action: its name for the Edit menu and the states around it.

    `hint` names a structural change of the layer list ("insert", row) /
    ("remove", row) / ("move", src, dst) so a list view can animate it.
    """

    name: str | Text
    before: S
    after: S
    hint: tuple[Any, ...] | None = None

    def label(self, language: str | None = None) -> str:
        return text(self.name, language)


class UndoHistory(Generic[S]):
    """Steps done (below `index`) and undone (from `index` on)."""

    def __init__(self) -> None:
        self._steps: list[Step[S]] = []
        self.index = 0  # steps[:index] are done
        self._clean: int | None = 0  # the index that matches the saved file

    def push(self, step: Step[S]) -> None:
        """Record a step just done; the undone ones are gone for good."""
        del self._steps[self.index :]
        if self._clean is not None and self._clean > self.index:
            self._clean = None  # the saved state can no longer be reached
        self._steps.append(step)
        self.index += 1

    def amend_top(self, after: S) -> None:
        """Change what the last step did (a dataset's shape known only once loaded
        belongs to the step that chose it, not to a step of its own)."""
        self._steps[self.index - 1] = replace(self._steps[self.index - 1], after=after)

    def undo(self) -> Step[S] | None:
        if not self.can_undo:
            return None
        self.index -= 1
        return self._steps[self.index]

    def redo(self) -> Step[S] | None:
        if not self.can_redo:
            return None
        self.index += 1
        return self._steps[self.index - 1]

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self._steps)

    @property
    def top(self) -> Step[S] | None:
        return self._steps[self.index - 1] if self.can_undo else None

    def undo_name(self) -> str:
        return self._steps[self.index - 1].label() if self.can_undo else ""

    def redo_name(self) -> str:
        return self._steps[self.index].label() if self.can_redo else ""

    def name(self, i: int) -> str:
        return self._steps[i].label() if 0 <= i < len(self._steps) else ""

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def clean(self) -> bool:
        return self._clean == self.index

    def set_clean(self) -> None:
        self._clean = self.index

    def clear(self) -> None:
        self._steps.clear()
        self.index = 0
        self._clean = 0
