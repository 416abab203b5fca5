"""What a view or panel may use of the studio: a small typed context, not the window.

Views used to reach into the main window by attribute name (getattr, a default), so a
renamed attribute made a view silently show nothing. They now get a `Studio` at
`bind(studio)`: the document (network, settings, weights, history and their
signals), the training controller, the data source, the frame clock, and the two
actions a view may ask for. `MainWindow` implements it; tests pass a small fake
(`tests/ui/fake_studio.py`). Typing checks the fit (`isinstance` works too, as the
Protocol is runtime-checkable, for the attribute names only).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Studio(Protocol):
    """The studio as a view sees it.

    - `document`: the open project (ui.document.Document): `.spec`, `.config`,
      `.weights`, `.history`, `.fingerprint` and the signals `sig_spec_changed`,
      `sig_config_changed`, `sig_weights_changed`, `sig_loaded`,
      `sig_fingerprint_changed(str)`.
    - `controller`: ui.training.TrainingController (`sig_event`, `probe_request`,
      `running`, `run_fingerprint`).
    - `data_source`: ui.data_source.DataSource (`data`, `sig_data_changed`).
    - `frame_clock`: ui.frame_clock.FrameClock (`register`, `poke`).
    """

    document: Any
    controller: Any
    data_source: Any
    frame_clock: Any

    def select_view(self, name: str) -> bool:
        """Bring the view `name` ("boundary", "feature-maps", ...) to the front."""
        ...

    def start_training(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> bool:
        """Train the document, or a variant of it (another spec, config or data)."""
        ...


def current_data(studio: Studio | None) -> Any:
    """The studio's loaded dataset (core Data), or None while it loads."""
    source = studio.data_source if studio is not None else None
    return source.data if source is not None else None


def is_dataset_of(data: Any, config: Any) -> bool:
    """`data` is the dataset the settings `config` name (not the previous one,
    still loaded while the new one loads)."""
    if data is None:
        return False
    wanted = str(getattr(config, "dataset", ""))
    return wanted in (str(data.name), str(getattr(data, "source_path", None)))


def weights_fingerprint(document: Any) -> str | None:
    """What the document's trained weights were made with (network + data): the
    stamp a result drawn from them carries. The document's own fingerprint when it
    does not say (the weights were just made for it)."""
    session = getattr(document, "session", None)
    made = getattr(session, "trained_fingerprint", None)
    return made or document.fingerprint
