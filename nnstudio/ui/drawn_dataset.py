"""The "New drawn dataset…" dialog: name classes, draw examples, train on them.

The student names the dataset and its classes (circle, triangle, smile, or 甲 乙 丙),
picks a class and draws on the canvas; **Add drawing** (or Enter) saves it and clears
the canvas for the next. The class list shows how many drawings each class has, the
strip below the canvas shows the selected class's drawings, and a bad one is
deleted with Delete or its button. Every drawing is written to disk at once
(core/datasets/drawn.py: an image folder under the user data folder), so closing
the dialog loses nothing; **Use this dataset** emits `sig_use_dataset(path)`.

The dialog knows nothing of the main window: the data box opens it and listens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.datasets.drawn import DrawnDataset, check_name, drawn_datasets
from nnstudio.core.errors import DatasetError
from nnstudio.ui.canvas import DigitCanvas

THUMB = 40  # px: a drawing in the strip, large enough to spot a bad one
MIN_PER_CLASS = 2  # training needs a few of each; the hint asks for 10
GOAL_PER_CLASS = 10  # with a frozen MNIST body, about enough (README)
ClassRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole + 2


class DrawnDatasetDialog(QDialog):
    """objectName `drawnDatasetDialog`."""

    sig_use_dataset = Signal(str)  # the dataset folder, to load as an image folder

    def __init__(self, parent: QWidget | None = None, root: Path | None = None,
                 name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("drawnDatasetDialog")
        self.setWindowTitle(self.tr("New drawn dataset"))
        self.root = root
        self.dataset: DrawnDataset | None = None
        self._build()
        self.name_edit.setText(name or self._free_name())
        self._on_name_committed()

    # --- layout -------------------------------------------------------------------
    def _build(self) -> None:
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("drawnName")
        self.name_edit.setToolTip(self.tr("The dataset's name, also its folder's"))
        self.name_edit.editingFinished.connect(self._on_name_committed)
        self.class_edit = QLineEdit(self)
        self.class_edit.setObjectName("drawnNewClass")
        self.class_edit.setPlaceholderText(self.tr("New class, e.g. circle or 甲"))
        self.class_edit.returnPressed.connect(self._on_add_class)
        add_class = QPushButton(self.tr("Add class"), self)
        add_class.setObjectName("drawnAddClass")
        add_class.clicked.connect(self._on_add_class)
        self.classes = QListWidget(self)
        self.classes.setObjectName("drawnClasses")
        self.classes.currentItemChanged.connect(self._on_class_changed)
        self.canvas = DigitCanvas(self)
        self.canvas.setObjectName("drawnCanvas")
        self.add_button = QPushButton(self.tr("Add drawing"), self)
        self.add_button.setObjectName("drawnAddDrawing")
        self.add_button.setDefault(True)
        self.add_button.setToolTip(self.tr("Save the drawing to the selected class "
                                           "(Enter) and clear the canvas"))
        self.add_button.clicked.connect(self._on_add_drawing)
        clear = QPushButton(self.tr("Clear"), self)
        clear.clicked.connect(self.canvas.clear)
        self.strip = QListWidget(self)
        self.strip.setObjectName("drawnExamples")
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setIconSize(QSize(THUMB, THUMB))
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(True)
        self.strip.setFixedHeight(2 * THUMB + 24)
        self.strip.setToolTip(self.tr("Drawings of the selected class: select a bad "
                                      "one and press Delete"))
        self.delete_button = QPushButton(self.tr("Delete drawing"), self)
        self.delete_button.setObjectName("drawnDeleteDrawing")
        self.delete_button.clicked.connect(self._on_delete_drawing)
        QShortcut(QKeySequence.StandardKey.Delete, self.strip,
                  activated=self._on_delete_drawing)
        self.status = QLabel(self)
        self.status.setObjectName("drawnStatus")
        self.status.setWordWrap(True)
        self.use_button = QPushButton(self.tr("Use this dataset"), self)
        self.use_button.setObjectName("drawnUse")
        self.use_button.clicked.connect(self._on_use)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        self._lay_out(add_class, clear, close)

    def _lay_out(self, add_class: QPushButton, clear: QPushButton,
                 close: QPushButton) -> None:
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Name"), self))
        left.addWidget(self.name_edit)
        left.addWidget(QLabel(self.tr("Classes"), self))
        left.addWidget(self.classes, 1)
        row = QHBoxLayout()
        row.addWidget(self.class_edit, 1)
        row.addWidget(add_class)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(self.canvas, 0, Qt.AlignmentFlag.AlignHCenter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(clear)
        right.addLayout(buttons)
        right.addWidget(self.strip)
        right.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.use_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

    # --- actions (thin: tests call them directly) ----------------------------------
    def add_class(self, name: str) -> bool:
        if self.dataset is None:
            return False
        try:
            clean = self.dataset.add_class(name)
        except DatasetError as exc:
            self._say(str(exc), error=True)
            return False
        self._refresh_classes(select=clean)
        return True

    def add_drawing(self) -> Path | None:
        """Save the canvas to the selected class; None (and a reason) otherwise."""
        name = self.current_class()
        if self.dataset is None or name is None:
            self._say(self.tr("Add a class first, then draw examples of it."), True)
            return None
        try:
            path = self.dataset.add_drawing(name, self.canvas.to_array())
        except DatasetError as exc:
            self._say(str(exc), error=True)
            return None
        self.canvas.clear()
        self._refresh_classes(select=name)
        return path

    def delete_selected(self) -> bool:
        item = self.strip.currentItem()
        if self.dataset is None or item is None:
            return False
        self.dataset.delete(Path(item.data(PathRole)))
        self._refresh_classes(select=self.current_class())
        return True

    def current_class(self) -> str | None:
        item = self.classes.currentItem()
        return None if item is None else item.data(ClassRole)

    def counts(self) -> dict[str, int]:
        return self.dataset.counts() if self.dataset is not None else {}

    def ready(self) -> bool:
        """Two classes or more, each with MIN_PER_CLASS drawings: enough to train."""
        counts = self.counts()
        return len(counts) >= 2 and min(counts.values()) >= MIN_PER_CLASS

    # --- refresh --------------------------------------------------------------------
    def _refresh_classes(self, select: str | None = None) -> None:
        self.classes.blockSignals(True)
        self.classes.clear()
        for name, count in self.counts().items():
            item = QListWidgetItem(self.tr("{name}   ({n})").format(name=name, n=count))
            item.setData(ClassRole, name)
            if count < GOAL_PER_CLASS:
                item.setToolTip(self.tr("{n} more drawings would help").format(
                    n=GOAL_PER_CLASS - count))
            self.classes.addItem(item)
            if name == select:
                self.classes.setCurrentItem(item)
        if self.classes.currentItem() is None and self.classes.count():
            self.classes.setCurrentRow(0)
        self.classes.blockSignals(False)
        self._refresh_strip()
        self._refresh_status()

    def _refresh_strip(self) -> None:
        self.strip.clear()
        name = self.current_class()
        if self.dataset is None or name is None:
            return
        for path in self.dataset.examples(name):
            icon = QIcon(QPixmap(str(path)).scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
            item = QListWidgetItem(icon, "")
            item.setData(PathRole, str(path))
            item.setToolTip(path.name)
            self.strip.addItem(item)
        self.delete_button.setEnabled(self.strip.count() > 0)

    def _refresh_status(self) -> None:
        self.use_button.setEnabled(self.ready())
        counts = self.counts()
        if not counts:
            text = self.tr("Name two or more classes, then draw about {n} examples "
                           "of each.").format(n=GOAL_PER_CLASS)
        else:
            text = self.tr("{classes} classes, {total} drawings, saved in {folder}"
                           ).format(classes=len(counts), total=sum(counts.values()),
                                    folder=str(self.dataset.path))
        self._say(text)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;" if error else "")

    def _free_name(self) -> str:
        taken = {p.name for p in drawn_datasets(self.root)}
        base = self.tr("My drawings")
        n = 1
        while (name := base if n == 1 else f"{base} {n}") in taken:
            n += 1
        return name

    # --- slots ----------------------------------------------------------------------
    @Slot()
    def _on_name_committed(self) -> None:
        try:
            name = check_name(self.name_edit.text())
        except DatasetError as exc:
            self._say(str(exc), error=True)
            return
        if self.dataset is None or self.dataset.name != name:
            self.dataset = DrawnDataset(name, self.root)
            self._refresh_classes()

    @Slot()
    def _on_add_class(self) -> None:
        if self.add_class(self.class_edit.text()):
            self.class_edit.clear()

    @Slot()
    def _on_add_drawing(self) -> None:
        # Enter in a name field also presses the default button: that Enter meant
        # "this name", not "save the drawing"
        if self.focusWidget() not in (self.class_edit, self.name_edit):
            self.add_drawing()

    @Slot()
    def _on_delete_drawing(self) -> None:
        self.delete_selected()

    @Slot(object, object)
    def _on_class_changed(self, current, previous) -> None:
        self._refresh_strip()

    @Slot()
    def _on_use(self) -> None:
        if self.dataset is not None and self.ready():
            self.sig_use_dataset.emit(str(self.dataset.path))
            self.accept()
