"""A CSV file as a dataset: numeric feature columns plus one label column.

Read with the csv module (no pandas: one fewer large dependency for students to
install). Every problem names the row (the file's line number) and the column, so
the student can open the file and fix exactly that cell.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from .base import Data, Request, tabular_data
from .messages import fail

# header names taken as the label; "y" only when it is the last column (else it is
# usually a coordinate beside "x")
LABEL_NAMES = ("label", "target", "class", "标签", "类别", "目标", "y")
MISSING = {
    "",
    "nan",
    "na",
    "n/a",
    "null",
    "?",
}  # what spreadsheets write for "no value"
TASKS = ("classification", "regression")
MAX_AUTO_CLASSES = 30  # more distinct whole-number labels than this: regression
SNIFF_BYTES = 64 * 1024
# Training computes in float32: a larger value becomes infinity on the way in, and
# the loss, not the file, would then take the blame.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_word(cell: str) -> bool:
    return cell.strip().lower() not in MISSING and not _is_number(cell)


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            dialect = _dialect(f.read(SNIFF_BYTES), path)
            f.seek(0)
            reader = csv.reader(f, dialect)
            return [
                (reader.line_num, row) for row in reader if any(c.strip() for c in row)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        fail("bad_file", path=str(path), kind="CSV", reason=str(exc).splitlines()[0])


def _dialect(sample: str, path: Path) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # one column, or nothing to go on: plain commas
        return csv.excel


def _has_header(rows: list[tuple[int, list[str]]]) -> bool:
    """A first row of names: words where the next row has numbers, or all words."""
    first = rows[0][1]
    if all(_is_word(c) for c in first):
        return True
    if len(rows) < 2:
        return False
    return any(
        _is_word(a) and _is_number(b) for a, b in zip(first, rows[1][1], strict=False)
    )


def _label_column(
    header: list[str] | None, width: int, wanted: str | None, path: Path | None = None
) -> int:
    """The label column: `wanted` (a name or 1-based number) if given, which must
    exist, else a column named like a label, else the last one."""
    names = [h.strip().lower() for h in header] if header else []
    if wanted is not None:
        key = str(wanted).strip().lower()
        if key in names:
            return names.index(key)
        if key.isdigit() and 0 < int(key) <= width:
            return int(key) - 1
        columns = [h.strip() for h in header] if header else range(1, width + 1)
        fail(
            "csv_label",
            path=str(path or "?"),
            label=str(wanted).strip(),
            columns=", ".join(map(str, columns)),
        )
    for candidate in LABEL_NAMES:
        if candidate in names:
            index = names.index(candidate)
            if candidate != "y" or index == width - 1:
                return index
    return width - 1


def _parse(rows, header, label_col, path) -> tuple[np.ndarray, list[str]]:
    """Feature matrix and raw label strings; any bad cell stops with its place."""
    width = len(header) if header else len(rows[0][1])
    features, labels = [], []
    for line, row in rows:
        if len(row) != width:
            fail("csv_ragged", path=str(path), row=line, got=len(row), want=width)
        values = []
        for col, cell in enumerate(row):
            where = _where(path, line, col, header)
            if col == label_col:
                labels.append(_label(cell, where))
            else:
                values.append(_number(cell, where))
        features.append(values)
    return np.asarray(features, dtype=np.float64), labels


def _where(path: Path, line: int, col: int, header: list[str] | None) -> dict:
    column = f"'{header[col].strip()}'" if header else str(col + 1)
    return {"path": str(path), "row": line, "column": column}


def _label(cell: str, where: dict) -> str:
    if cell.strip().lower() in MISSING:
        fail("csv_missing", **where)
    return cell.strip()


def _number(cell: str, where: dict, key: str = "csv_number") -> float:
    """A finite float32-sized number, or the message `key` naming the cell."""
    if cell.strip().lower() in MISSING:
        fail("csv_missing", **where)
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        fail(key, value=cell.strip(), **where)
    if abs(value) > FLOAT32_MAX:
        fail("csv_huge", value=cell.strip(), **where)
    return value


def _targets(labels: list[str], task: str | None) -> tuple[str, np.ndarray, tuple]:
    """Task, target array and class names; text labels always become classes."""
    numeric = all(_is_number(v) for v in labels)
    task = task or _guess_task(labels)
    if task == "regression":
        return task, np.asarray([float(v) for v in labels])[:, None], ()
    keys = sorted({float(v) for v in labels}) if numeric else sorted(set(labels))
    index = {k: i for i, k in enumerate(keys)}
    y = np.asarray([index[float(v) if numeric else v] for v in labels])
    return task, y, tuple(_class_name(k) for k in keys)


def _guess_task(labels: list[str]) -> str:
    numeric = all(_is_number(v) for v in labels)
    return "regression" if numeric and _looks_continuous(labels) else "classification"


def _looks_continuous(labels: list[str]) -> bool:
    """Fractions (or inf), or more distinct whole numbers than a class list has."""
    values = {float(v) for v in labels}
    whole = all(v.is_integer() for v in values)
    return not whole or len(values) > MAX_AUTO_CLASSES


def _class_name(key) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def load_csv(path: Path, req: Request) -> Data:
    """Rows of numbers plus a label column (named label/target/class/y, else last).

    Options: `label` (column name or 1-based number) and `task`
    ("classification" or "regression"; guessed from the labels otherwise).
    """
    rows = _read_rows(path)
    if not rows:
        fail("empty", where=str(path))
    header = rows[0][1] if _has_header(rows) else None
    body = rows[1:] if header else rows
    width = len(rows[0][1])
    if width < 2:
        fail("csv_columns", path=str(path))
    if not body:
        fail("empty", where=str(path))
    label_col = _label_column(header, width, req.options.get("label"), path)
    x, labels = _parse(body, header, label_col, path)
    task = req.options.get("task")
    if task not in (None, "classification", "regression"):
        fail("bad_value", option="task", value=task, choices=", ".join(TASKS))
    task = task or _guess_task(labels)
    if task == "regression":  # every target a number training can hold, or its place
        for (line, _), label in zip(body, labels, strict=True):
            _number(label, _where(path, line, label_col, header), "csv_target")
    task, y, names = _targets(labels, task)
    return tabular_data(
        None,
        x,
        y,
        req,
        name=path.stem,
        class_names=names,
        task=task,
        scale_targets=True,
    )
