"""Re-extract the UI strings into nnstudio/translations/*.ts, keeping every translation.

    .venv/bin/python packaging/update_translations.py          # update the .ts files
    .venv/bin/python packaging/update_translations.py --check  # exit 1 if any is new

Why not plain ``pyside6-lupdate``: nnstudio/ui/messages.py's module-level ``tr()``
translates in the context ``"nnstudio"``, but lupdate files those calls under an
empty context, and merging into the existing file would then drop their translations
as "vanished". So lupdate writes a fresh file and this script carries the old
translations over: same context and text first, then the same text from any context
(reported, so a translator can check it). What is still untranslated is listed and
left ``type="unfinished"``; tests/ui/test_i18n.py fails until it is translated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UI_DIR = REPO / "nnstudio" / "ui"
TS_DIR = REPO / "nnstudio" / "translations"
LANGUAGES = ("zh_CN",)  # English is the source language: no file needed
MODULE_CONTEXT = "nnstudio"  # the context messages.tr() passes to translate()
LUPDATE_TIMEOUT_S = 120

Key = tuple[str, str, str]  # context, source, comment (disambiguation)


def find_lupdate() -> str:
    """PySide6's lupdate beside the running Python, else one on PATH."""
    here = Path(sys.executable).with_name("pyside6-lupdate")
    found = str(here) if here.exists() else shutil.which("pyside6-lupdate")
    if not found:
        sys.exit("pyside6-lupdate not found: install PySide6 into this venv")
    return found


def ui_sources() -> list[Path]:
    """Every Python file of the UI (the core has no Qt strings)."""
    return sorted(UI_DIR.rglob("*.py"))


def extract(language: str, folder: Path) -> Path:
    """A fresh .ts of the current UI strings (no translations) in `folder`."""
    target = folder / f"nnstudio_{language}.ts"
    command = [find_lupdate(), "-silent", "-locations", "absolute",
               "-target-language", language, *map(str, ui_sources()), "-ts", str(target)]
    subprocess.run(command, check=True, timeout=LUPDATE_TIMEOUT_S, cwd=TS_DIR)
    return target


def _key(context: str, message: ET.Element) -> Key:
    comment = message.findtext("comment") or ""
    return context, message.findtext("source") or "", comment


def known_translations(path: Path) -> dict[Key, ET.Element]:
    """Finished translations of an existing .ts, by (context, source, comment)."""
    if not path.exists():
        return {}
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and _finished(translation):
                found[_key(name, message)] = translation
    return found


def _finished(translation: ET.Element) -> bool:
    kind = translation.get("type")
    has_text = bool((translation.text or "").strip()) or len(translation) > 0
    return kind not in ("unfinished", "vanished", "obsolete") and has_text


def merge(fresh: Path, old: dict[Key, ET.Element]) -> tuple[ET.ElementTree, dict]:
    """Move the empty context to MODULE_CONTEXT and fill in the old translations."""
    tree = ET.parse(fresh)
    _relocate(tree.getroot(), fresh.parent)
    by_text = {key[1:]: t for key, t in old.items()}
    stats: dict[str, list[Key]] = {"kept": [], "same text": [], "new": []}
    for context in tree.getroot().iter("context"):
        name_el = context.find("name")
        if not (name_el.text or ""):
            name_el.text = MODULE_CONTEXT
        for message in context.iter("message"):
            key = _key(name_el.text, message)
            source = old.get(key)
            outcome = "kept" if source is not None else "same text"
            source = source if source is not None else by_text.get(key[1:])
            if source is None:
                outcome = "new"
            else:
                _copy_translation(message, source)
            stats[outcome].append(key)
    _merge_duplicate_contexts(tree.getroot())
    return tree, stats


def _relocate(root: ET.Element, written_in: Path) -> None:
    """lupdate wrote paths relative to the temporary file: make them relative to
    TS_DIR, where the .ts lives (Qt Linguist opens the source from there)."""
    for location in root.iter("location"):
        source = (written_in / location.get("filename", "")).resolve()
        location.set("filename", Path(os.path.relpath(source, TS_DIR)).as_posix())


def _copy_translation(message: ET.Element, source: ET.Element) -> None:
    target = message.find("translation")
    message.remove(target)
    copy = ET.fromstring(ET.tostring(source))
    copy.attrib.pop("type", None)
    copy.tail = target.tail
    message.append(copy)


def _merge_duplicate_contexts(root: ET.Element) -> None:
    """A file with a class named like MODULE_CONTEXT would now have it twice."""
    seen: dict[str, ET.Element] = {}
    for context in list(root.iter("context")):
        name = context.findtext("name")
        if name in seen:
            seen[name].extend(context.findall("message"))
            root.remove(context)
        else:
            seen[name] = context


def write_ts(tree: ET.ElementTree, path: Path) -> None:
    """Write the .ts the way Qt Linguist does (DOCTYPE, UTF-8, indented)."""
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
        encoding="utf-8",
    )


def update(language: str) -> list[Key]:
    """Update one language's .ts; returns the messages that still need a translator."""
    path = TS_DIR / f"nnstudio_{language}.ts"
    old = known_translations(path)
    with tempfile.TemporaryDirectory() as tmp:
        tree, stats = merge(extract(language, Path(tmp)), old)
    write_ts(tree, path)
    print(f"{path.relative_to(REPO)}: {len(stats['kept'])} kept, "
          f"{len(stats['same text'])} reused by text, {len(stats['new'])} new")
    for context, source, _ in stats["same text"]:
        print(f"  check (reused by text) [{context}] {source!r}")
    for context, source, _ in stats["new"]:
        print(f"  TODO [{context}] {source!r}")
    return stats["new"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a string has no translation yet")
    args = parser.parse_args(argv)
    TS_DIR.mkdir(parents=True, exist_ok=True)
    missing = [key for language in LANGUAGES for key in update(language)]
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
