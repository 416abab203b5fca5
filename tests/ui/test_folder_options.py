"""The Data box's folder options: shown for an image folder only, each change one
undo step that changes the data (shape, options), undo puts both back."""

from __future__ import annotations

from nnstudio.ui.data_preview import TILES
from tests.conftest import ARTIFACTS
from tests.robustness.helpers import shapes_folder

SHOTS = ARTIFACTS / "folder-options"


def _loaded(panel, options: dict) -> bool:
    data = panel.data_source.data
    return data is not None and {k: data.options.get(k) for k in options} == options


def test_folder_options_change_the_data_in_one_undo_step(main_window, qtbot, tmp_path):
    window = main_window()
    panel, doc = window.training_panel, window.document
    box = panel.data_box
    folder = str(shapes_folder(tmp_path / "shapes"))
    assert not box.folder_options.isVisible(), "hidden for a generated dataset"
    box.choose_dataset(folder)
    qtbot.waitUntil(lambda: _loaded(panel, {}) and doc.spec.input_shape == (1, 28, 28),
                    timeout=60_000)
    assert box.folder_options.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    box.grab().save(str(SHOTS / "data-box-folder-options.png"))
    steps = doc.undo_stack.count()
    box.folder_options.size_spin.setValue(16)  # as the student types 16 and leaves
    assert doc.undo_stack.count() == steps + 1
    assert dict(doc.config.dataset_options) == {"image_size": 16}
    assert doc.undo_stack.undoText() == "Dataset options"
    qtbot.waitUntil(lambda: doc.spec.input_shape == (1, 16, 16), timeout=60_000)
    assert doc.undo_stack.count() == steps + 1, "the new shape joins the same step"
    box.grab().save(str(SHOTS / "data-box-folder-options-16px.png"))
    doc.undo_stack.undo()
    assert dict(doc.config.dataset_options) == {}
    assert doc.spec.input_shape == (1, 28, 28)
    assert box.folder_options.size_spin.value() < 4, "the form shows Auto again"
    qtbot.waitUntil(lambda: _loaded(panel, {"image_size": None}), timeout=60_000)
    box.choose_dataset("spiral")
    assert not box.folder_options.isVisible(), "hidden for a dataset that is no folder"


def test_colour_validation_and_augment_reach_the_loaded_data(
    main_window, qtbot, tmp_path
):
    window = main_window()
    panel, doc = window.training_panel, window.document
    form = panel.data_box.folder_options
    panel.data_box.choose_dataset(str(shapes_folder(tmp_path / "shapes")))
    qtbot.waitUntil(lambda: _loaded(panel, {}), timeout=60_000)
    plain = len(panel.data_source.data.x_train)
    form.color_combo.setCurrentIndex(form.color_combo.findData("rgb"))
    form.color_combo.activated.emit(form.color_combo.currentIndex())
    qtbot.waitUntil(lambda: doc.spec.input_shape == (3, 28, 28), timeout=60_000)
    form.val_spin.setValue(50)
    form.augment_check.setChecked(True)
    want = {"color": "rgb", "val_fraction": 0.5, "augment": True}
    assert dict(doc.config.dataset_options) == want
    qtbot.waitUntil(lambda: _loaded(panel, want), timeout=60_000)
    data = panel.data_source.data
    assert len(data.x_val) == 20 and len(data.x_train) == 3 * 20 != plain
    assert panel.data_box.preview.kind == "image" and TILES > 0
    qtbot.waitUntil(panel.data_box.preview.augment_row.isVisible)
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.data_box.grab().save(str(SHOTS / "data-box-augment.png"))
    doc.undo_stack.undo()  # augment off again, the rest stays
    assert dict(doc.config.dataset_options) == {"color": "rgb", "val_fraction": 0.5}
    assert not form.augment_check.isChecked() and form.val_spin.value() == 50


def test_preview_shows_augmented_copies_only_when_augment_is_on(qtbot, tmp_path):
    import numpy as np

    from nnstudio.core.datasets import load_dataset
    from nnstudio.ui.data_preview import DataPreview

    folder = shapes_folder(tmp_path / "shapes")
    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.resize(320, 300)
    preview.show()
    preview.show_data(load_dataset(str(folder), seed=0, val_fraction=0.2))
    assert preview.augment_tiles == 0 and not preview.augment_row.isVisible()
    off = preview.grab().toImage()
    data = load_dataset(str(folder), seed=0, val_fraction=0.2, augment=True)
    preview.show_data(data)
    qtbot.waitUntil(preview.augment_row.isVisible)
    assert preview.augment_tiles == 2
    on = preview.grab().toImage()
    SHOTS.mkdir(parents=True, exist_ok=True)
    on.save(str(SHOTS / "preview-augmented.png"))
    assert on != off, "the preview looks different with augmentation on"
    # the copies shown are the first image's, changed (not the same picture again)
    tiles = [w for w in preview.augment_row.findChildren(type(preview.table))
             if w.pixmap() is not None and not w.pixmap().isNull()]
    assert len(tiles) == 3
    first = data.x_train[0].numpy()
    n = len(data.x_train) // 3
    for i in (n, 2 * n):
        assert data.y_train[i] == data.y_train[0]
        assert not np.array_equal(data.x_train[i].numpy(), first)
    preview.show_data(load_dataset(str(folder), seed=0))  # off again: row hidden
    assert not preview.augment_row.isVisible()


def test_the_form_defaults_are_the_cores() -> None:
    from nnstudio.core.datasets import folder_options as core
    from nnstudio.ui import folder_options as ui

    assert ui.DEFAULTS == core.DEFAULTS
