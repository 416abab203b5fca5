"""The main window's menus: their titles at once, their entries once the core is
loaded, the window-level actions (layout, theme, full screen, About) and the keyboard
fallback for shortcuts when Qt's shortcut map is not consulted (offscreen)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from nnstudio.ui.messages import core_text

FALLBACK_KEYS = {
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.FullScreen: "F11",
    QKeySequence.StandardKey.HelpContents: "F1",
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S",
}


class WindowMenus(QObject):
    """Builds and fills `window.menus`; `window` is the MainWindow (its parent)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.menus: dict[str, QMenu] = {}
        self._build_titles()

    def _build_titles(self) -> None:
        """Menu titles now (the bar paints at once); their entries in finish_loading."""
        titles = (
            ("file", self.tr("&File")),
            ("edit", self.tr("&Edit")),
            ("view", self.tr("&View")),
            ("presets", self.tr("&Presets")),
            ("train", self.tr("&Train")),
            ("help", self.tr("&Help")),
        )
        for key, title in titles:
            menu = self.window.menuBar().addMenu(title)
            menu.setObjectName(f"{key}Menu")
            menu.setToolTipsVisible(True)
            self.menus[key] = menu

    def fill(self) -> None:
        """Every menu's entries (after the panels exist)."""
        self.window.files.build_menu(self.menus["file"])
        from nnstudio.ui.export_menu import install_export_menu

        self._add_import_weights(self.menus["file"])
        install_export_menu(self.window)
        from nnstudio.ui.finetune_actions import install_finetune_actions

        install_finetune_actions(self.window)  # Start from Weights…, Import Pretrained…
        self.window.network_panel.build_menu(self.menus["edit"])
        self._fill_view_menu(self.menus["view"])
        self._fill_presets_menu(self.menus["presets"])
        self.window.training_panel.build_menu(self.menus["train"], self.make_action)
        self._fill_help_menu(self.menus["help"])
        from nnstudio.ui.learn_more import install_learn_more
        from nnstudio.ui.preferences import install_preferences

        install_preferences(self.window)
        install_learn_more(self.window)

    def _add_import_weights(self, menu: QMenu) -> None:
        """File > Import Weights…, above Export (the exported scripts point here)."""
        action = self.make_action(
            self.tr("&Import Weights…"),
            lambda: self.window.import_weights(),
            tip=self.tr(
                "Load trained weights (.pt, .pth or .safetensors) into this network"
            ),
            name="importWeightsAction",
        )
        separators = [a for a in menu.actions() if a.isSeparator()]
        if separators:
            menu.insertAction(separators[-1], action)
        else:
            menu.addAction(action)

    def _fill_view_menu(self, menu: QMenu) -> None:
        for i, name in enumerate(self.window.docks, start=1):  # DOCK_NAMES order
            action = self.window.docks[name].toggleViewAction()
            action.setShortcut(QKeySequence(f"Ctrl+{i}"))
            menu.addAction(action)
        menu.addAction(
            self.make_action(
                self.tr("Restore &Default Layout"), self.window.restore_default_layout
            )
        )
        menu.addSeparator()
        menu.addAction(self.window.curves.log_action)
        themes = menu.addMenu(self.tr("&Theme"))
        names = {
            "system": self.tr("System"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for key, label in names.items():
            themes.addAction(
                self.make_action(
                    label,
                    lambda _=False, k=key: self.window.set_theme(k),
                    name=f"theme_{key}",
                )
            )
        full = self.make_action(
            self.tr("&Full Screen"),
            self._on_full_screen_triggered,
            QKeySequence.StandardKey.FullScreen,
        )
        menu.addAction(full)

    def _fill_presets_menu(self, menu: QMenu) -> None:
        """Grouped by lesson (a section per group); each preset shows its one-line
        description under its name."""
        from nnstudio.core.network.presets import PRESET_GROUPS, presets_by_group
        from nnstudio.ui.preset_menu import preset_entry

        for group, presets in presets_by_group():
            menu.addSection(core_text(PRESET_GROUPS.get(group, group)))
            for p in presets:
                menu.addAction(
                    preset_entry(
                        menu,
                        p.name,
                        core_text(p.description),
                        lambda _=False, n=p.name: self.window.load_preset(n),
                        f"preset_{p.name}",
                    )
                )

    def _fill_help_menu(self, menu: QMenu) -> None:
        menu.addAction(
            self.make_action(
                self.tr("&About nnstudio"),
                self._on_about,
                QKeySequence.StandardKey.HelpContents,
            )
        )

    @Slot()
    def _on_full_screen_triggered(self) -> None:
        w = self.window
        w.showNormal() if w.isFullScreen() else w.showFullScreen()

    @Slot()
    def _on_about(self) -> None:
        from nnstudio import __version__

        QMessageBox.about(
            self.window,
            self.tr("About nnstudio"),
            self.tr(
                "<b>nnstudio {v}</b><p>Build, train and look inside neural networks "
                "with real PyTorch.</p>"
            ).format(v=__version__),
        )

    def make_action(
        self, text: str, slot: Any, shortcut: Any = None, tip: str = "", name: str = ""
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            if keys.isEmpty() and isinstance(shortcut, QKeySequence.StandardKey):
                keys = QKeySequence(FALLBACK_KEYS.get(shortcut, ""))
            action.setShortcut(keys)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def trigger_shortcut(self, event: Any) -> bool:
        """Trigger the enabled menu action whose shortcut `event` is, if any."""
        pressed = QKeySequence(event.keyCombination())
        for menu in self.menus.values():
            for action in _all_actions(menu):
                if action.isEnabled() and pressed in action.shortcuts():
                    action.trigger()
                    return True
        return False


def _all_actions(menu: QMenu) -> list[QAction]:
    """The actions of a menu and of its submenus."""
    found = []
    for action in menu.actions():
        found += _all_actions(action.menu()) if action.menu() else [action]
    return found
