"""Feature maps: what every conv layer makes of one chosen sample, live.

One tile per output channel of each conv layer (the trainer sends them as uint8
C x H x W), a heat strip for each Linear layer's output, and a large copy of the
clicked tile. Pixels are redrawn at most twice a second; a change in the number of
layers or channels is shown at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.training.events import Probe, Started
from nnstudio.ui.studio import current_data, weights_fingerprint
from nnstudio.ui.views.base import View, layer_label, probe_trained, short_layer
from nnstudio.ui.views.tiles import (
    HeatStrip,
    ImageTile,
    TileGrid,
    scale_to_uint8,
    to_qimage,
)

ENLARGED_PX = 220
THUMB_PX = 56


class FeatureMapView(View):
    PROBES = frozenset({"feature_maps", "activations"})
    TITLE = "Feature maps"
    MIN_INTERVAL_S = 0.5  # the issue: at most twice a second during training
    # an opened project's maps show at once, from its weights
    FROM_WEIGHTS = frozenset({"feature_maps", "activations"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("featureMapView")
        self.maps: dict[str, np.ndarray] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.order: tuple[str, ...] = ()
        self.frozen: frozenset[str] = frozenset()  # labelled "(frozen)"
        self.grids: dict[str, TileGrid] = {}
        self.strips: dict[str, HeatStrip] = {}
        self.selected: tuple[str, int] | None = None
        self._layout_key: tuple = ()
        self.data: Any = None
        self._build()

    def _build(self) -> None:
        self.sample_box = QSpinBox()
        self.sample_box.setObjectName("featureSample")
        self.sample_box.setToolTip(self.tr("Which validation sample to look at"))
        self.sample_box.valueChanged.connect(self._on_sample_box_changed)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB_PX, THUMB_PX)
        self.sample_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Sample:")))
        top.addWidget(self.sample_box)
        top.addWidget(self.thumb)
        top.addWidget(self.sample_label, 1)
        self.content = QWidget()
        self.rows = QVBoxLayout(self.content)
        self.rows.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.placeholder = QLabel(
            self.tr(
                "Train a network with convolution layers to see what each channel "
                "detects."
            )
        )
        self.placeholder.setWordWrap(True)
        self.rows.addWidget(self.placeholder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.content)
        self.enlarged = ImageTile(None, ENLARGED_PX)
        self.enlarged.setObjectName("featureEnlarged")
        self.enlarged.setFixedSize(ENLARGED_PX, ENLARGED_PX)
        self.enlarged_label = QLabel(self.tr("Click a tile to enlarge it."))
        self.enlarged_label.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.enlarged)
        side.addWidget(self.enlarged_label)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    # --- data -------------------------------------------------------------------------
    def reset(self, started: Started | None = None) -> None:
        self.maps, self.vectors = {}, {}
        self.order = tuple(started.layer_names) if started else ()
        self.frozen = frozenset(getattr(started, "frozen_layers", ()) or ())
        data = current_data(self.studio)
        if data is not None and data is not self.data:
            self.set_data(data)

    def _on_probe(self, e: Probe) -> bool:
        if not e.feature_maps and not e.vectors:
            return False
        if e.feature_maps:
            self.maps = dict(e.feature_maps)
        if e.vectors:
            self.vectors = dict(e.vectors)
        return True

    def tile_counts(self) -> dict[str, int]:
        """Tiles shown per conv layer, e.g. {'1_conv2d': 10, '4_conv2d': 20}."""
        return {name: len(grid.tiles) for name, grid in self.grids.items()}

    # --- drawing ----------------------------------------------------------------------
    def refresh(self) -> None:
        """New layers or channel counts show at once; pixels at most twice a second."""
        if self.dirty and self._wanted_layout() != self._layout_key:
            self._last_draw = -1e9
        super().refresh()

    def _sorted(self, names: Any) -> list[str]:
        rank = {n: i for i, n in enumerate(self.order)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def _wanted_layout(self) -> tuple:
        maps = tuple((n, len(self.maps[n])) for n in self._sorted(self.maps))
        return maps, tuple(self._sorted(self.vectors))

    def draw(self) -> None:
        if self._wanted_layout() != self._layout_key:
            self._rebuild()
        for name, grid in self.grids.items():
            grid.set_images(self.maps[name])
        for name, strip in self.strips.items():
            strip.set_vector(self.vectors[name])
        self._draw_enlarged()

    def _rebuild(self) -> None:
        while self.rows.count() > 1:  # keep the placeholder at 0
            item = self.rows.takeAt(1)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.grids, self.strips = {}, {}
        for name in self._sorted(self.maps):
            c, h, w = self.maps[name].shape
            self.rows.addWidget(
                QLabel(
                    self.tr("{layer}: {n} channels, {h}x{w}").format(
                        layer=layer_label(name, self.frozen), n=c, h=h, w=w
                    )
                )
            )
            grid = TileGrid(name, columns=16, size=48)
            grid.sig_tile_clicked.connect(self._on_tile_clicked)
            self.rows.addWidget(grid)
            self.grids[name] = grid
        for name in self._sorted(self.vectors):
            n = len(self.vectors[name])
            self.rows.addWidget(
                QLabel(
                    self.tr("{layer}: {n} outputs").format(
                        layer=layer_label(name, self.frozen), n=n)
                )
            )
            self.strips[name] = HeatStrip()
            self.rows.addWidget(self.strips[name])
        self.placeholder.setVisible(not self.grids and not self.strips)
        self._layout_key = self._wanted_layout()
        if self.grids and (self.selected is None or self.selected[0] not in self.grids):
            self.select_tile(next(iter(self.grids)), 0)

    @Slot(object)
    def _on_tile_clicked(self, key: object) -> None:
        self.select_tile(*key)

    def select_tile(self, layer: str, channel: int) -> None:
        """Show this channel large (and keep following it as training goes on)."""
        for name, grid in self.grids.items():
            for i, tile in enumerate(grid.tiles):
                tile.set_selected((name, i) == (layer, channel))
        self.selected = (layer, channel)
        self._draw_enlarged()

    def _draw_enlarged(self) -> None:
        if self.selected is None or self.selected[0] not in self.maps:
            return
        layer, channel = self.selected
        maps = self.maps[layer]
        if channel < len(maps):
            self.enlarged.set_array(maps[channel])
            self.enlarged_label.setText(
                self.tr("{layer}, channel {c}").format(
                    layer=short_layer(layer), c=channel + 1
                )
            )

    # --- which sample -----------------------------------------------------------------
    @Slot(object)
    def show_drawing(self, sample: object) -> None:
        """The Predict tab's drawing: look at it from the next probe on (the window
        connects the Predict panel's `sig_send_to_feature_maps` here)."""
        self.set_sample(np.asarray(sample, dtype=np.float32), self.tr("your drawing"))
        if self.studio is not None:
            self.studio.select_view("feature-maps")

    def set_data(self, data: Any) -> None:
        """Offer the validation samples of `data` (a core Data) to pick from."""
        self.data = data
        count = len(data.x_val) if data is not None else 0
        self.sample_box.setRange(0, max(0, count - 1))
        self.sample_box.setEnabled(count > 0)
        if count:
            self._on_sample_box_changed(self.sample_box.value())

    @Slot(int)
    def _on_sample_box_changed(self, index: int) -> None:
        data = self.data
        if data is None or index >= len(data.x_val):
            return
        x = data.x_val[index : index + 1]
        sample = data.inputs(x)[0].detach().cpu().numpy().astype(np.float32)
        label = (
            data.class_names[int(data.y_val[index])]
            if data.task == "classification" and data.y_val[index].dim() == 0
            else ""  # regression, or one class per time step (sequences)
        )
        self.set_sample(
            sample,
            self.tr("validation sample {i} {label}").format(i=index, label=label),
            x[0].cpu().numpy() if data.is_image else None,
        )

    def set_sample(
        self, sample: np.ndarray, caption: str = "", picture: np.ndarray | None = None
    ) -> None:
        """Look at `sample` (model input, C x H x W float32) from the next probe on.

        The Predict panel can call this with the canvas drawing.
        """
        if self.studio is not None:
            self.studio.controller.probe_request.set(sample=sample)
        self._inspect_now(sample)
        self.sample_label.setText(caption)
        if picture is None and sample.ndim == 3:
            picture = scale_to_uint8(sample)  # normalized input back to 0..255
        if picture is not None and picture.ndim == 3 and picture.shape[0] == 1:
            image = to_qimage(picture[0], "CET-L1")
            self.thumb.setPixmap(QPixmap.fromImage(image).scaled(THUMB_PX, THUMB_PX))

    def _inspect_now(self, sample: np.ndarray) -> None:
        """No run going but a trained network: show this sample's maps at once."""
        studio = self.studio
        if studio is None or studio.controller.running:
            return  # the next probe brings them
        document = studio.document
        probe = probe_trained(document, self.data, self.PROBES, sample)
        if probe is not None:
            self.stamp(weights_fingerprint(document))
            self.show_weights(probe)
