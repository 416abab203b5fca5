"""The Data box's options for a folder of images: size, colour, validation share and
light augmentation.

Shown only while the chosen dataset is a folder with one subfolder of images per
class (imported or drawn). Each change goes to the document as one undo step
(the session re-chooses the folder with the new options, the network is fitted
to the new shape when the background load ends); after undo the widgets show the
options of the restored settings, so the form never disagrees with the config.
Only options that differ from the defaults are written, so putting everything
back gives the plain folder again (same data, same fingerprint).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from nnstudio.core.training.config import TrainConfig

# as core/datasets/folder_options.DEFAULTS (not imported: it loads torch, and the
# window's first paint must not); test_folder_options checks they agree
DEFAULTS: dict[str, Any] = {"image_size": None, "color": "auto", "val_fraction": 0.2,
                            "augment": False, "flip": True}
MIN_SIZE, MAX_SIZE = 4, 512  # the core's range (core/datasets/folder_options.py)


@lru_cache(maxsize=64)
def _is_image_folder(path: str) -> bool:
    """A folder of class subfolders holding images (not IDX or CIFAR files)."""
    from nnstudio.core.datasets.cifar import find_cifar
    from nnstudio.core.datasets.idx import find_pairs
    from nnstudio.core.datasets.imported import class_folders

    folder = Path(path)
    try:
        if not folder.is_dir() or find_pairs(folder) or find_cifar(folder):
            return False
        return bool(class_folders(folder))
    except OSError:  # unreadable: the load says why, nothing to offer here
        return False


def is_image_folder(path: str) -> bool:
    """Whether `path` is a folder of images, one subfolder per class."""
    return _is_image_folder(str(path))


class FolderOptions(QWidget):
    """objectName `folderOptions`; see the module docstring."""

    def __init__(self, document: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderOptions")
        self.document = document
        self.path = ""
        self._make_widgets()
        self.size_spin.valueChanged.connect(self._on_changed)
        self.color_combo.activated.connect(self._on_changed)
        self.val_spin.valueChanged.connect(self._on_changed)
        self.augment_check.toggled.connect(self._on_changed)
        self.setVisible(False)

    def _make_widgets(self) -> None:
        self.size_spin = QSpinBox(self)
        self.size_spin.setObjectName("folderImageSize")
        self.size_spin.setRange(MIN_SIZE - 1, MAX_SIZE)  # the lowest means "auto"
        self.size_spin.setSpecialValueText(self.tr("Auto"))
        self.size_spin.setSuffix(" px")
        self.size_spin.setKeyboardTracking(False)  # one step per typed number
        self.size_spin.setToolTip(
            self.tr("Every image is resized to this square size; "
                    "Auto: the most common size in the folder")
        )
        self.color_combo = QComboBox(self)
        self.color_combo.setObjectName("folderColor")
        for label, value in ((self.tr("Auto"), "auto"), (self.tr("Grayscale"), "gray"),
                             (self.tr("Colour"), "rgb")):
            self.color_combo.addItem(label, value)
        self.color_combo.setToolTip(
            self.tr("Auto: grayscale when every image is gray, otherwise colour")
        )
        self.val_spin = QSpinBox(self)
        self.val_spin.setObjectName("folderValFraction")
        self.val_spin.setRange(5, 50)
        self.val_spin.setSuffix(" %")
        self.val_spin.setKeyboardTracking(False)
        self.val_spin.setToolTip(
            self.tr("Share of the images kept aside to check the model on")
        )
        self.augment_check = QCheckBox(self.tr("Augment"), self)
        self.augment_check.setObjectName("folderAugment")
        self.augment_check.setToolTip(
            self.tr("Add slightly shifted, turned and mirrored copies of each "
                    "training image (validation stays as it is)")
        )
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.tr("Image size"), self), 0, 0)
        grid.addWidget(self.size_spin, 0, 1)
        grid.addWidget(QLabel(self.tr("Colour"), self), 0, 2)
        grid.addWidget(self.color_combo, 0, 3)
        grid.addWidget(QLabel(self.tr("Validation"), self), 1, 0)
        grid.addWidget(self.val_spin, 1, 1)
        grid.addWidget(self.augment_check, 1, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def show_config(self, config: TrainConfig) -> None:
        """Show the options of `config`; hidden unless it uses an image folder."""
        self.path = config.dataset
        shown = is_image_folder(config.dataset)
        self.setVisible(shown)
        if not shown:
            return
        options = {**DEFAULTS, **dict(config.dataset_options)}
        widgets = (self.size_spin, self.color_combo, self.val_spin, self.augment_check)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            size = options["image_size"]
            self.size_spin.setValue(int(size) if size else MIN_SIZE - 1)
            self.color_combo.setCurrentIndex(
                max(0, self.color_combo.findData(str(options["color"]).lower()))
            )
            self.val_spin.setValue(round(100 * float(options["val_fraction"])))
            self.augment_check.setChecked(str(options["augment"]).lower()
                                          in ("1", "true", "yes", "on"))
        except (TypeError, ValueError):  # a hand-edited project: the load says why
            pass
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def options(self) -> dict[str, Any]:
        """The options the widgets show, merged into the config's (defaults dropped)."""
        size = self.size_spin.value()
        shown = {
            "image_size": None if size < MIN_SIZE else size,
            "color": self.color_combo.currentData(),
            "val_fraction": self.val_spin.value() / 100,
            "augment": self.augment_check.isChecked(),
        }
        merged = {**dict(self.document.config.dataset_options), **shown}
        return {k: v for k, v in merged.items()
                if k not in DEFAULTS or v != DEFAULTS[k]}

    @Slot()
    def _on_changed(self, *_: Any) -> None:
        options = self.options()
        if self.path and options != dict(self.document.config.dataset_options):
            self.document.choose_dataset(self.path, options)  # one undo step
