"""Results that know where they came from: the one comparison every view uses.

A run stamps the result a widget shows with the run's fingerprint (network + data,
`core.provenance.fingerprint`, computed by `TrainingController.start`). Whenever the
document's fingerprint changes the widget compares: different, and the result
belongs to an earlier network or dataset, so it stays under a visible notice
(objectName `staleNotice`) or the widget clears it (`show_stale`); equal again
(an undo back to the trained network), and the result is current once more.

`Stamped` is a mixin for QWidgets: the live views (views/base.py), the curves and
the Predict panel share it, so the rule lives here once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

BANNER_STYLE = (
    "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0b84c;"
    " border-radius: 4px; padding: 6px; }"
)


def banner(object_name: str) -> QLabel:
    """A hidden yellow notice with word wrap (a view's advice or warning)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    label.hide()
    return label


def stale_text() -> str:
    return QCoreApplication.translate(
        "Stamped",
        "This result belongs to the previous network or data, not to the one in "
        "the editor now. Train again to update it.",
    )


class Stamped:
    """Mixin: `made_with`, `stale`, the `stale_notice` label and the comparison.

    Call `_init_stamp()` in `__init__`, put `stale_notice` in the layout, connect
    the document's `sig_fingerprint_changed` to `compare`, and `stamp()` a result
    when a run starts (or when it is drawn from saved weights).
    """

    def _init_stamp(self) -> None:
        self.made_with: str | None = None  # fingerprint of the result shown
        self.stale = False
        self.stale_notice = banner("staleNotice")
        self.stale_notice.setText(stale_text())

    def current_fingerprint(self) -> str | None:
        """The document's fingerprint now (None when not bound to a studio)."""
        studio = getattr(self, "studio", None)
        return studio.document.fingerprint if studio is not None else None

    def stamp(self, fingerprint: str | None) -> None:
        """The result now shown was made by the network and data `fingerprint`."""
        self.made_with = fingerprint
        self.check_stamp()

    def check_stamp(self, current: str | None = None) -> None:
        """Show the notice while the result belongs to another network or data."""
        current = current if current is not None else self.current_fingerprint()
        stale = None not in (self.made_with, current) and self.made_with != current
        self.stale_notice.setVisible(stale)
        if stale != self.stale:
            self.stale = stale
            self.show_stale(stale)

    def show_stale(self, stale: bool) -> None:
        """Hook: what else changes while the result is stale (a banner hides, the
        Predict panel stops predicting). By default the result stays, under the
        notice."""
