"""Files: corrupt or foreign project files, spec JSON faults, weights that do not fit,
pickles that would run code, Chinese paths, a failing disk, a kill mid-save and the
autosave restore after a kill.

Every case is checked on the surfaces that read files: the core (one plain
NNStudioError), the CLI (exit 2, one `nnstudio:` line) and the window (a line in the
message bar, the open project untouched). The file itself is never modified.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import pickle
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import torch
from safetensors.torch import save as save_safetensors

from nnstudio.core import fileio
from nnstudio.core.errors import NNStudioError, ProjectFileError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import (
    Project,
    load_project,
    project_bytes,
    save_project,
)
from nnstudio.core.project.weights import import_state_dict
from nnstudio.core.training.config import TrainConfig

from .helpers import (
    assert_cli_refuses,
    assert_error_message,
    assert_user_message,
    has_cjk,
    run_cli,
    shapes_folder,
)

SPEC = PRESETS["spiral-relu"].spec
SPEC_DICT = SPEC.to_dict()
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def good_bytes() -> bytes:
    """A complete trained-looking project (spec, settings, weights)."""
    weights = build_model(SPEC, seed=0).state_dict()
    config = TrainConfig(epochs=1, probes=False).to_dict()
    return project_bytes(Project(SPEC, config, weights, [{"epochs": []}]))


def zip_of(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def with_spec(**changes) -> bytes:
    return zip_of({"spec.json": json.dumps({**SPEC_DICT, **changes})})


def with_config(config) -> bytes:
    return zip_of(
        {"spec.json": json.dumps(SPEC_DICT), "config.json": json.dumps(config)}
    )


class RunsCode:
    """Unpickling this runs code: it writes the file named in SENTINEL."""

    sentinel = ""

    def __reduce__(self):
        return (exec, (f"open({self.sentinel!r}, 'w').write('pwned')",))


def evil_pickle(sentinel: Path) -> bytes:
    RunsCode.sentinel = str(sentinel)
    return pickle.dumps({"1_linear.weight": RunsCode()})


def without_spec_key(key: str) -> bytes:
    data = dict(SPEC_DICT)
    del data[key]
    return zip_of({"spec.json": json.dumps(data)})


def bad_weights() -> bytes:
    wrong = save_safetensors({"1_linear.weight": torch.zeros(3, 3)})
    return zip_of({"spec.json": json.dumps(SPEC_DICT), "weights.safetensors": wrong})


# (case id, file bytes (a function of the sentinel path), message fragment)
BROKEN_FILES = [
    ("empty", lambda s: b"", "empty, corrupt or truncated"),
    ("random-bytes", lambda s: random.Random(1).randbytes(4000), "not an nnstudio"),
    ("truncated", lambda s: good_bytes()[: len(good_bytes()) // 2], "truncated"),
    ("truncated-tail", lambda s: good_bytes()[:-30], "truncated"),
    ("plain-text", lambda s: "你好, not a project".encode(), "not an nnstudio"),
    ("zip-without-spec", lambda s: zip_of({"notes.txt": "hi"}), "spec.json is missing"),
    ("spec-not-json", lambda s: zip_of({"spec.json": "{oops"}), "not valid JSON"),
    ("spec-latin1", lambda s: zip_of({"spec.json": b"\xff\xfe\x00"}), "not valid JSON"),
    ("spec-is-a-list", lambda s: zip_of({"spec.json": "[]"}), "JSON object"),
    ("missing-layers", lambda s: without_spec_key("layers"), "'layers'"),
    ("missing-input", lambda s: without_spec_key("input_shape"), "'input_shape'"),
    ("extra-key", lambda s: with_spec(colour="red"), "unknown key(s)"),
    ("newer-schema", lambda s: with_spec(schema_version=99), "newer nnstudio"),
    (
        "newer-format",
        lambda s: zip_of(
            {"meta.json": '{"format_version": 7}', "spec.json": json.dumps(SPEC_DICT)}
        ),
        "newer nnstudio",
    ),
    ("layer-not-object", lambda s: with_spec(layers=[7]), "needs a 'kind'"),
    ("input-shape-text", lambda s: with_spec(input_shape=["2"]), "whole numbers"),
    (
        "init-std-nan",
        lambda s: zip_of(
            {"spec.json": json.dumps({**SPEC_DICT, "init_std": float("nan")})}
        ),
        "init_std",
    ),
    ("weights-misfit", lambda s: bad_weights(), "don't match the network"),
    (
        "weights-pickle",
        lambda s: zip_of(
            {"spec.json": json.dumps(SPEC_DICT), "weights.safetensors": evil_pickle(s)}
        ),
        "weights are corrupt",
    ),
    (
        "weights-truncated",
        lambda s: zip_of(
            {
                "spec.json": json.dumps(SPEC_DICT),
                "weights.safetensors": save_safetensors(build_model(SPEC).state_dict())[
                    :200
                ],
            }
        ),
        "weights are corrupt",
    ),
    ("config-wrong-form", lambda s: with_config([1, 2]), "wrong form"),
]
IDS = [c[0] for c in BROKEN_FILES]


def write_case(folder: Path, case) -> tuple[Path, Path, bytes]:
    name, make, _ = case
    sentinel = folder / f"{name}.pwned"
    path = folder / f"{name}.nnstudio"
    blob = make(sentinel)
    path.write_bytes(blob)
    return path, sentinel, blob


# --- core -----------------------------------------------------------------------------
@pytest.mark.parametrize("case", BROKEN_FILES, ids=IDS)
def test_core_refuses_broken_file(case, tmp_path) -> None:
    path, sentinel, blob = write_case(tmp_path, case)
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert_error_message(info.value, case[2])
    assert path.name in str(info.value)  # says which file
    assert path.read_bytes() == blob  # reading never writes
    assert not sentinel.exists()  # no pickle was ever run


def test_core_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(ProjectFileError) as info:
        load_project(tmp_path / "nowhere.nnstudio")
    assert_error_message(info.value, "no such file")
    folder = tmp_path / "looks-like.nnstudio"
    folder.mkdir()
    with pytest.raises(ProjectFileError) as info:
        load_project(folder)
    assert_error_message(info.value, "not an nnstudio project")


def test_file_name_is_said_once(tmp_path) -> None:
    path = tmp_path / "half.nnstudio"
    path.write_bytes(zip_of({"notes.txt": "x"}))
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert str(info.value).count("half.nnstudio") == 1, str(info.value)


# A spec with a problem is a file the studio can open: the problem is shown on the card
# and training refuses, so the student can fix it (nothing is thrown away).
OPENABLE_WITH_PROBLEM = [
    ("unknown-kind", [{"kind": "Quantum", "params": {}}], "unknown layer kind"),
    ("negative-size", [{"kind": "Linear", "params": {"out_features": -5}}], "outside"),
    ("huge-size", [{"kind": "Linear", "params": {"out_features": 10**12}}], "outside"),
    ("text-size", [{"kind": "Linear", "params": {"out_features": "many"}}], "whole"),
    ("unknown-param", [{"kind": "ReLU", "params": {"alpha": 1}}], "no parameter"),
    ("empty-stack", [], "no layers"),
]


@pytest.mark.parametrize(
    "case", OPENABLE_WITH_PROBLEM, ids=[c[0] for c in OPENABLE_WITH_PROBLEM]
)
def test_spec_problems_load_and_are_explained(case, tmp_path, capsys) -> None:
    _, layers, fragment = case
    path = tmp_path / "problem.nnstudio"
    path.write_bytes(with_spec(layers=layers))
    project = load_project(path)
    report = check(project.spec)
    assert not report.ok
    assert_user_message(report.errors[0].message(), fragment)
    result = run_cli(capsys, "summary", path)
    assert result.rc == 2 and "Traceback" not in result.err
    assert all(line.startswith("nnstudio: ") for line in result.err_lines)
    assert fragment.lower() in result.err.lower()
    result = run_cli(capsys, "train", path, "--epochs", "1", "--no-probes")
    assert_cli_refuses(result, fragment)


def test_negative_input_shape_is_explained() -> None:
    spec = NetworkSpec.from_dict({**SPEC_DICT, "input_shape": [-2]})
    report = check(spec)
    assert_user_message(report.errors[0].message(), "input shape", "1 or more")


# Config entries of the wrong type: the core accepts the file (config is plain JSON),
# the studio and the CLI must refuse it with one line.
BAD_CONFIGS = [
    ("lr-negative", {"lr": -1}, "learning rate", None),
    ("epochs-text", {"epochs": "ten"}, "epochs", None),
    (
        "loss-list",
        {"loss": ["x"]},
        "loss",
        None,  # fixed: config.py checks field types,
    ),
    (
        "device-number",
        {"device": 3},
        "device",
        None,  # fixed: config.py checks field types,
    ),
    (
        "dataset-number",
        {"dataset": 5},
        "dataset",
        None,  # fixed: config.py checks field types,
    ),
    (
        "options-number",
        {"dataset_options": 5},
        "dataset",
        None,  # fixed: config.py checks field types,
    ),
]


def _maybe_xfail(cases):
    return [
        pytest.param(
            *c, id=c[0], marks=pytest.mark.xfail(strict=True, reason="BUG " + c[3])
        )
        if c[3]
        else pytest.param(*c, id=c[0])
        for c in cases
    ]


@pytest.mark.parametrize("name,config,fragment,bug", _maybe_xfail(BAD_CONFIGS))
def test_cli_refuses_bad_config_entry(
    name, config, fragment, bug, tmp_path, capsys
) -> None:
    path = tmp_path / f"{name}.nnstudio"
    path.write_bytes(with_config(config))
    before = path.read_bytes()
    result = run_cli(capsys, "train", path, "--epochs", "1", "--no-probes")
    assert_cli_refuses(result, fragment)
    assert path.read_bytes() == before


# --- the CLI --------------------------------------------------------------------------
@pytest.mark.parametrize("case", BROKEN_FILES, ids=IDS)
def test_cli_refuses_broken_file(case, tmp_path, capsys) -> None:
    path, sentinel, blob = write_case(tmp_path, case)
    assert_cli_refuses(run_cli(capsys, "summary", path), case[2])
    assert path.read_bytes() == blob and not sentinel.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["summary"],
        ["train", "--epochs", "1"],
        ["evaluate", "--dataset", "spiral"],
        ["export", "--to", "OUT.py"],
        ["predict", "IMG.png"],
    ],
)
def test_every_command_refuses_a_corrupt_project(command, tmp_path, capsys) -> None:
    path = tmp_path / "broken.nnstudio"
    path.write_bytes(good_bytes()[:100])
    args = [
        a.replace("OUT", str(tmp_path / "out")).replace("IMG", str(tmp_path / "i"))
        for a in command
    ]
    result = run_cli(capsys, args[0], path, *args[1:])
    assert_cli_refuses(result, "broken.nnstudio")
    assert not (tmp_path / "out.py").exists()


def test_cli_refuses_spec_json_that_is_not_utf8(tmp_path, capsys) -> None:
    path = tmp_path / "net.json"
    path.write_bytes(b"\xff\xfe\x00\x01")
    assert_cli_refuses(run_cli(capsys, "summary", path), "net.json")


SPEC_JSON_CASES = [
    ("not-json", "{", "not valid JSON"),
    ("newer-schema", json.dumps({**SPEC_DICT, "schema_version": 2}), "newer nnstudio"),
    ("extra-key", json.dumps({**SPEC_DICT, "extra": 1}), "unknown key(s)"),
    ("missing-layers", json.dumps({"input_shape": [2]}), "'layers'"),
    (
        "unknown-kind",
        json.dumps({**SPEC_DICT, "layers": [{"kind": "Magic"}]}),
        "unknown layer kind",
    ),
    (
        "negative",
        json.dumps(
            {
                **SPEC_DICT,
                "layers": [{"kind": "Linear", "params": {"out_features": -1}}],
            }
        ),
        "outside",
    ),
]


@pytest.mark.parametrize(
    "name,body,fragment", SPEC_JSON_CASES, ids=[c[0] for c in SPEC_JSON_CASES]
)
def test_cli_refuses_bad_spec_json(name, body, fragment, tmp_path, capsys) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(body, encoding="utf-8")
    result = run_cli(capsys, "train", path, "--epochs", "1", "--no-probes")
    assert_cli_refuses(result, fragment)
    assert path.read_text(encoding="utf-8") == body


# --- pickles that would run code ------------------------------------------------------
def _pt_cases(folder: Path) -> list[tuple[str, Path, str]]:
    sentinel = folder / "pt.pwned"
    RunsCode.sentinel = str(sentinel)
    cases = []

    def add(name: str, obj, fragment: str, raw: bytes | None = None) -> None:
        path = folder / name
        if raw is not None:
            path.write_bytes(raw)
        else:
            torch.save(obj, path)
        cases.append((name, path, fragment))

    add("runs-code.pt", {"1_linear.weight": RunsCode()}, "refused")
    add("legacy-pickle.pth", None, "refused", raw=evil_pickle(sentinel))
    add("whole-model.pth", build_model(SPEC), "refused")
    add("empty.pt", None, "refused", raw=b"")
    add("list-of-tensors.pt", [torch.zeros(2)], "state_dict")
    add(
        "wrong-shapes.pt",
        {"1_linear.weight": torch.zeros(3, 3)},
        "don't match the network",
    )
    return cases


def test_pt_import_never_unpickles_code(tmp_path) -> None:
    for name, path, fragment in _pt_cases(tmp_path):
        before = path.read_bytes()
        with pytest.raises(ProjectFileError) as info:
            import_state_dict(path, SPEC)
        assert_error_message(info.value, fragment, name)
        assert "weights_only" not in str(info.value), name
        assert path.read_bytes() == before
    assert not (tmp_path / "pt.pwned").exists()
    good = tmp_path / "good.pt"
    torch.save(build_model(SPEC, seed=1).state_dict(), good)
    assert set(import_state_dict(good, SPEC)) == set(build_model(SPEC).state_dict())


def test_project_with_extra_pickle_entry_ignores_it(tmp_path) -> None:
    """A project zip carrying a pickle beside the known entries: never unpickled."""
    sentinel = tmp_path / "zip.pwned"
    path = tmp_path / "extra.nnstudio"
    blob = zip_of(
        {
            "spec.json": json.dumps(SPEC_DICT),
            "data.pkl": evil_pickle(sentinel),
            "model.pt": evil_pickle(sentinel),
        }
    )
    path.write_bytes(blob)
    assert load_project(path).spec == SPEC
    assert not sentinel.exists()


# --- paths with Chinese characters and spaces -----------------------------------------
def test_chinese_path_round_trip_core_and_cli(tmp_path, capsys) -> None:
    folder = tmp_path / "我的 项目" / "第 1 周"
    folder.mkdir(parents=True)
    path = folder / "螺旋 网络.nnstudio"
    result = run_cli(
        capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes", "--save", path
    )
    assert result.rc == 0, result.err
    project = load_project(path)
    assert project.spec == SPEC and project.weights is not None
    result = run_cli(capsys, "summary", path)
    assert result.rc == 0 and "603" in result.out
    script = folder / "导出 脚本.py"
    result = run_cli(capsys, "export", path, "--to", script)
    assert result.rc == 0 and script.is_file()
    save_project(folder / "副本.nnstudio", project)
    assert load_project(folder / "副本.nnstudio").spec == SPEC


# --- a failing disk during save -------------------------------------------------------
def _fail(exc: BaseException):
    def boom(*args, **kwargs):
        raise exc

    return boom


DISK_FAULTS = [
    (
        "disk-full",
        "fsync",
        OSError(errno.ENOSPC, "No space left on device"),
        "disk is full",
    ),
    (
        "read-only-folder",
        "mkstemp",
        PermissionError(errno.EACCES, "Permission denied"),
        "read-only",
    ),
    (
        "read-only-disk",
        "replace",
        OSError(errno.EROFS, "Read-only file system"),
        "read-only",
    ),
    ("quota", "fsync", OSError(errno.EDQUOT, "Disk quota exceeded"), "could not save"),
]


def inject(monkeypatch, where: str, exc: BaseException) -> None:
    if where == "mkstemp":  # creating the temporary beside the target
        monkeypatch.setattr(fileio, "_create_temporary", _fail(exc))
    else:
        monkeypatch.setattr(fileio.os, where, _fail(exc))


def temp_leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.parametrize(
    "name,where,exc,fragment", DISK_FAULTS, ids=[c[0] for c in DISK_FAULTS]
)
def test_failed_save_keeps_the_previous_file(
    name, where, exc, fragment, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    other = Project(SPEC.remove(1), {}, None, [])
    with monkeypatch.context() as patch:
        inject(patch, where, exc)
        with pytest.raises(ProjectFileError) as info:
            save_project(path, other)
    assert_error_message(info.value, fragment, "previous file is unchanged")
    assert path.read_bytes() == good_bytes()
    assert temp_leftovers(tmp_path) == []
    save_project(path, other)  # the fault gone, saving works again
    assert load_project(path).spec == other.spec


@pytest.mark.parametrize(
    "target,fragment",
    [
        ("missing-folder/x.nnstudio", "folder does not exist"),
        ("a-folder", "could not save"),
    ],
)
def test_save_to_an_impossible_place(target, fragment, tmp_path) -> None:
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(ProjectFileError) as info:
        save_project(tmp_path / target, Project(SPEC))
    assert_error_message(info.value, fragment)
    assert (tmp_path / "a-folder").is_dir()
    assert temp_leftovers(tmp_path) == []


def test_cli_save_on_full_disk(tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    inject(monkeypatch, "fsync", OSError(errno.ENOSPC, "No space left on device"))
    result = run_cli(
        capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes", "--save", path
    )
    assert result.rc == 2
    assert result.err_lines[-1].startswith("nnstudio: could not save")
    assert_user_message(result.err_lines[-1], "disk is full")
    assert path.read_bytes() == good_bytes()
    assert temp_leftovers(tmp_path) == []


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch) -> None:
    """Ctrl+C between writing and renaming: the target is the old file and the
    temporary is removed (issue 13: it was left behind)."""
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    monkeypatch.setattr(fileio.os, "replace", _fail(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        save_project(path, Project(SPEC.remove(1)))
    monkeypatch.undo()
    assert path.read_bytes() == good_bytes()
    assert temp_leftovers(tmp_path) == []
    assert load_project(path).spec == SPEC


def test_next_save_sweeps_what_a_killed_save_left(tmp_path) -> None:
    """The debris of a kill is removed by the next save of the same file; a young
    temporary (a save running elsewhere) and other files' temporaries are not."""
    path = tmp_path / "mine [1].nnstudio"  # glob characters in the name
    stale = tmp_path / f".{path.name}.k1ll3d.tmp"
    young = tmp_path / f".{path.name}.runn1ng.tmp"
    other = tmp_path / ".other.nnstudio.k1ll3d.tmp"
    for tmp in (stale, young, other):
        tmp.write_bytes(b"half a project")
    old = time.time() - fileio.STALE_TMP_S - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    save_project(path, Project(SPEC))
    assert temp_leftovers(tmp_path) == sorted([other, young])
    assert load_project(path).spec == SPEC


def test_file_errors_in_chinese(tmp_path, zh, monkeypatch) -> None:
    path = tmp_path / "empty.nnstudio"
    path.write_bytes(b"")
    with pytest.raises(NNStudioError) as info:
        load_project(path)
    assert has_cjk(str(info.value)), str(info.value)
    assert "empty.nnstudio" in str(info.value)  # the file name stays as it is
    inject(monkeypatch, "fsync", OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(NNStudioError) as info:
        save_project(tmp_path / "x.nnstudio", Project(SPEC))
    assert has_cjk(str(info.value)), str(info.value)
    assert "磁盘已满" in str(info.value) and "x.nnstudio" in str(info.value)


# (case id, spec JSON, Chinese words expected, the value that must stay verbatim)
ZH_SPEC_CASES = [
    ("extra-key", {**SPEC_DICT, "colour": "red"}, "网络结构中有未知的键", "colour"),
    ("newer-schema", {**SPEC_DICT, "schema_version": 99}, "更新版本", "结构版本 99"),
    (
        "unknown-kind",
        {**SPEC_DICT, "layers": [{"kind": "Quantum"}]},
        "未知的层类型",
        "Quantum",
    ),
    ("bad-init", {**SPEC_DICT, "init": "magic"}, "未知的权重初始化方式", "magic"),
    (
        "layer-params",
        {**SPEC_DICT, "layers": [{"kind": "ReLU", "params": 3}]},
        "必须是对象",
        "ReLU",
    ),
    (
        "whole-number",
        {
            **SPEC_DICT,
            "layers": [{"kind": "Linear", "params": {"out_features": "many"}}],
        },
        "必须是整数",
        "out_features",
    ),
]


@pytest.mark.parametrize("case", ZH_SPEC_CASES, ids=[c[0] for c in ZH_SPEC_CASES])
def test_spec_errors_in_chinese(case, tmp_path, zh, capsys) -> None:
    """A refused spec reaches a Chinese user in Chinese: inside the project file's
    error, from `nnstudio summary file.json` and from `nnstudio train`; the key, kind
    or version it names stays as it is."""
    name, body, words, value = case
    project = tmp_path / f"{name}.nnstudio"
    project.write_bytes(zip_of({"spec.json": json.dumps(body)}))
    try:
        message = check(load_project(project).spec).errors[0].message()
    except ProjectFileError as exc:  # refused on load (the openable ones load)
        message = str(exc)
        assert f"{project.name}：" in message, message
    assert words in message and value in message, message
    spec_json = tmp_path / f"{name}.json"
    spec_json.write_text(json.dumps(body), encoding="utf-8")
    for command in ("summary", "train"):
        result = run_cli(capsys, command, spec_json)
        assert_cli_refuses(result, words, value)


def test_cli_refusals_in_chinese(tmp_path, zh, capsys) -> None:
    result = run_cli(capsys, "train", "spiral-relu", "--init", "magic")
    assert_cli_refuses(result, "未知的权重初始化方式“magic”", "xavier_uniform")
    result = run_cli(capsys, "summary", "no-such-net")
    assert_cli_refuses(result, "未知的预设“no-such-net”", "spiral-relu")
    untrained = tmp_path / "untrained.nnstudio"
    save_project(untrained, Project(SPEC))
    result = run_cli(capsys, "predict", untrained, tmp_path / "digit.png")
    assert_cli_refuses(result, "untrained.nnstudio 还没有训练好的权重")


def test_spec_errors_stay_english_word_for_word() -> None:
    """The English sentences are a contract (CLI tests and scripts match them)."""
    with pytest.raises(NNStudioError) as info:
        NetworkSpec.from_dict({**SPEC_DICT, "colour": "red", "age": 3})
    assert str(info.value) == "unknown key(s) in the network spec: age, colour"
    with pytest.raises(NNStudioError) as info:
        NetworkSpec.from_dict({**SPEC_DICT, "schema_version": 99})
    assert str(info.value) == (
        "this network was saved by a newer nnstudio (schema 99; this one reads up "
        "to 1) — update nnstudio to open it"
    )
    with pytest.raises(NNStudioError) as info:
        build_model(
            NetworkSpec.from_dict({**SPEC_DICT, "layers": [{"kind": "Quantum"}]})
        )
    assert str(info.value) == "layer 1: unknown layer kind 'Quantum'"


# --- a real SIGKILL during save -------------------------------------------------------
SAVER = textwrap.dedent("""
    import sys
    from nnstudio.core.fileio import atomic_write_bytes  # what save_project calls
    target, blobs = sys.argv[1], [open(p, "rb").read() for p in sys.argv[2:]]
    print("ready", flush=True)
    i = 0
    while True:  # save after save: temp file, fsync, rename
        atomic_write_bytes(target, blobs[i % len(blobs)])
        i += 1
""")


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The child's next stdout line, or '' if it says nothing in time (no hang)."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


def big_project(version: int) -> Project:
    """~4 MB of incompressible weights; the version is written into one bias."""
    spec = NetworkSpec(
        (2,),
        (
            LayerSpec("Linear", {"out_features": 1024}),
            LayerSpec("ReLU"),
            LayerSpec("Linear", {"out_features": 1024}),
        ),
    )
    gen = torch.Generator().manual_seed(0)
    state = {
        "1_linear.weight": torch.randn(1024, 2, generator=gen),
        "1_linear.bias": torch.zeros(1024),
        "3_linear.weight": torch.randn(1024, 1024, generator=gen),
        "3_linear.bias": torch.full((1024,), float(version)),
    }
    return Project(spec, {"version": version}, state, [])


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_during_save_never_damages_the_file(tmp_path) -> None:
    """A saver process is killed at random moments, 6 times: the project always loads
    whole (one of the versions written), and at most the one temp file each kill
    interrupted is left behind (nnstudio never cleans those up: documented)."""
    rng = random.Random(7)
    target = tmp_path / "big.nnstudio"
    save_project(target, big_project(0))
    blobs = []
    for version in (1, 2):
        blob = tmp_path / f"v{version}.bin"
        blob.write_bytes(project_bytes(big_project(version)))
        blobs.append(str(blob))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 6
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(target), *blobs],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert read_line(proc, 60).strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        project = load_project(target)  # always a whole file
        version = float(project.weights["3_linear.bias"][0])
        assert version in (0.0, 1.0, 2.0)
        assert torch.all(project.weights["3_linear.bias"] == version)
    leftovers = temp_leftovers(tmp_path)
    assert len(leftovers) <= kills, leftovers
    assert all(p.name.startswith(".big.nnstudio.") for p in leftovers)


# --- the studio -----------------------------------------------------------------------
UI_CASES = [
    "empty",
    "random-bytes",
    "truncated",
    "newer-schema",
    "weights-misfit",
    "weights-pickle",
    "config-wrong-form",
]


@pytest.mark.parametrize(
    "case", [c for c in BROKEN_FILES if c[0] in UI_CASES], ids=UI_CASES
)
def test_window_refuses_broken_file(case, studio, tmp_path, shots) -> None:
    window = studio
    doc = window.document
    spec, name = doc.spec, doc.name
    path, sentinel, blob = write_case(tmp_path, case)
    assert not window.open_file(path)
    bar = window.message_bar
    assert bar.isVisible() and bar.last_level == "error"
    assert_user_message(bar.last_text, case[2])
    assert doc.spec == spec and doc.name == name and doc.path is None
    assert window.training_panel.run.train_button.isEnabled()
    assert path.read_bytes() == blob and not sentinel.exists()
    assert window.modals.calls == []
    if case[0] == "weights-pickle":
        window.grab().save(str(shots / "open_pickle_project.png"))


@pytest.mark.parametrize("name,config,fragment,bug", _maybe_xfail(BAD_CONFIGS))
def test_window_refuses_bad_config_entry(
    name, config, fragment, bug, window, tmp_path
) -> None:
    """(A window of its own: the unfixed cases leave it broken.)"""
    path = tmp_path / f"{name}.nnstudio"
    path.write_bytes(with_config(config))
    before_spec = window.document.config
    try:
        opened = window.open_file(path)
    except Exception as exc:  # what reaches Qt as a traceback from the Open action
        pytest.fail(f"open raised {type(exc).__name__}: {exc}")
    if opened:  # opened: then training must be refused with the reason
        blocker = window.training_panel.run.train_blocker()
        assert blocker is not None
        assert_user_message(blocker, fragment)
    else:
        assert window.message_bar.last_level == "error"
        assert_user_message(window.message_bar.last_text, fragment)
        assert window.document.config == before_spec


def test_window_opens_a_spec_with_problems_and_explains(studio, tmp_path) -> None:
    window = studio
    path = tmp_path / "unknown.nnstudio"
    path.write_bytes(with_spec(layers=[{"kind": "Quantum", "params": {}}]))
    assert window.open_file(path)
    panel = window.training_panel
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), "unknown layer kind")
    assert path.read_bytes() == with_spec(layers=[{"kind": "Quantum", "params": {}}])


def test_window_chinese_path_save_and_open(window, main_window, tmp_path) -> None:
    folder = tmp_path / "我的 文件夹"
    folder.mkdir()
    path = folder / "网络 一.nnstudio"
    window.document.remove_layer(1)
    assert window.save_file(path)
    assert "网络 一" in window.windowTitle()
    other = main_window(str(path))
    assert other.document.spec == window.document.spec
    assert other.document.path == path
    assert window.modals.calls == []


@pytest.mark.parametrize(
    "name,where,exc,fragment", DISK_FAULTS[:3], ids=[c[0] for c in DISK_FAULTS[:3]]
)
def test_window_save_on_failing_disk(
    name, where, exc, fragment, studio, tmp_path, monkeypatch, shots
) -> None:
    window = studio
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    window.document.remove_layer(1)
    with monkeypatch.context() as patch:
        inject(patch, where, exc)
        assert not window.save_file(path)
        assert not window.autosaver.save_now(force=True)  # autosave: never raises
    bar = window.message_bar
    assert bar.last_level == "error"
    assert_user_message(bar.last_text, fragment, "previous file is unchanged")
    assert path.read_bytes() == good_bytes()
    assert temp_leftovers(tmp_path) == []
    assert window.document.dirty and window.isWindowModified()
    assert window.training_panel.run.train_button.isEnabled()
    if name == "disk-full":
        window.grab().save(str(shots / "save_disk_full.png"))
    assert window.save_file(path)  # and once the disk is fine again, it saves
    assert load_project(path).spec == window.document.spec
    assert window.modals.calls == []


# --- autosave restore after a kill ----------------------------------------------------
STUDIO = textwrap.dedent("""
    import time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.ui.autosave import AutoSaver
    from nnstudio.ui.document import Document
    # what MainWindow.finish_loading does: document, autosaver, session lock
    document = Document()
    saver = AutoSaver(document)
    saver.start()
    document.insert_layer(2, LayerSpec("Dropout", {"p": 0.25}))
    document.insert_layer(0, LayerSpec("BatchNorm"))
    assert saver.save_now()
    print(document.spec.to_json().replace(chr(10), " "), flush=True)
    while True:  # the studio goes on until it is killed
        app.processEvents()
        time.sleep(0.05)
""")


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_autosave_is_offered_after_the_studio_was_killed(
    ui_env, main_window, qtbot, modals, shots
) -> None:
    script = ui_env / "studio.py"
    script.write_text(STUDIO, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "NNSTUDIO_DATA_DIR": os.environ["NNSTUDIO_DATA_DIR"],
    }
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        line = read_line(proc, 120)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
    killed_spec = NetworkSpec.from_json(line)
    window = main_window()
    bar = window.message_bar
    assert bar.isVisible() and bar.last_level == "warning"
    assert_user_message(bar.last_text, "did not close properly")
    window.grab().save(str(shots / "restore_after_kill.png"))
    restore = next(b for b in bar.buttons() if b.text() == "Restore")
    restore.click()
    assert window.document.spec == killed_spec
    assert window.document.dirty  # restored work is unsaved until the user saves
    assert window.training_panel.run.train_button.isEnabled()
    assert modals.calls == []


def test_corrupt_autosave_after_a_crash(ui_env, main_window, modals) -> None:
    """The crashed session's autosave is unreadable: restoring says so, and the
    window keeps its project and keeps working."""
    from nnstudio.ui.autosave import autosave_dir

    folder = autosave_dir()
    folder.mkdir(parents=True)
    (folder / "autosave.nnstudio").write_bytes(b"PK\x03\x04 half a zip")
    (folder / "session.lock").write_text("999999999")
    window = main_window()
    spec = window.document.spec
    restore = next(b for b in window.message_bar.buttons() if b.text() == "Restore")
    restore.click()
    assert window.message_bar.last_level == "error"
    assert_user_message(window.message_bar.last_text, "autosave.nnstudio")
    assert window.document.spec == spec
    assert window.training_panel.run.train_button.isEnabled()
    assert modals.calls == []


def test_no_temp_files_left_by_ordinary_saves(tmp_path) -> None:
    path = tmp_path / "p.nnstudio"
    for _ in range(3):
        save_project(path, Project(SPEC))
    assert temp_leftovers(tmp_path) == []


# --- issue 13: deep JSON, out-of-range numbers, limits, versions, modes, debris -------
def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


DEEP = 1_000  # the C parser's recursion limit: a RecursionError traceback before
HUGE = "1" + "0" * 400  # 10^400: beyond float range, an OverflowError before


def _raw_entry(body: str) -> str:
    return body  # JSON text as written by hand, not through json.dumps


ISSUE13_PROJECTS = [
    ("deep-spec", {"spec.json": deep(DEEP)}, "nested more than"),
    ("deep-config", {"config.json": deep(DEEP)}, "nested more than"),
    ("deep-history", {"history.json": deep(DEEP)}, "nested more than"),
    ("deep-data", {"data.json": deep(DEEP)}, "nested more than"),
    (
        "deep-layer-param",
        {"spec.json": json.dumps(SPEC_DICT).replace('"out_features": 100',
                                                     f'"out_features": {deep(DEEP)}')},
        "nested more than",
    ),
    ("format-version-float", {"meta.json": '{"format_version": 2.0}'}, "version 2.0"),
    ("format-version-text", {"meta.json": '{"format_version": "2"}'}, "version '2'"),
    ("format-version-bool", {"meta.json": '{"format_version": true}'}, "version True"),
    ("schema-version-float", {"spec.json": json.dumps({**SPEC_DICT,
                                                       "schema_version": 1.5})}, "1.5"),
    ("data-json-broken", {"data.json": '{"mean": "grey", "class_names": 3}'},
     "data.json"),
    ("data-json-zero-std", {"data.json": '{"mean": 0.5, "std": 0}'}, "data.json"),
    ("data-json-unknown-key", {"data.json": '{"colour": 1}'}, "colour"),
]


def _issue13_zip(entries: dict[str, str]) -> bytes:
    base = {"spec.json": json.dumps(SPEC_DICT)}
    return zip_of({**base, **entries})


@pytest.mark.parametrize(
    "entries,fragment", [c[1:] for c in ISSUE13_PROJECTS],
    ids=[c[0] for c in ISSUE13_PROJECTS],
)
def test_issue13_hostile_project_is_refused_in_one_line(
    entries, fragment, tmp_path, capsys
) -> None:
    path = tmp_path / "hostile.nnstudio"
    path.write_bytes(_issue13_zip(entries))
    with pytest.raises(NNStudioError) as info:
        load_project(path)
    assert_error_message(info.value, "hostile.nnstudio", fragment)
    assert_cli_refuses(run_cli(capsys, "summary", path), fragment)


OUT_OF_RANGE_SPECS = [
    ("layer-param", lambda d: d["layers"][0]["params"].update(out_features=HUGE)),
    ("init-std", lambda d: d.update(init_std=HUGE)),
    ("init-std-1e400", lambda d: d.update(init_std="1e400")),
    ("dropout-p", lambda d: d["layers"].insert(1, {"kind": "Dropout",
                                                   "params": {"p": HUGE}})),
    ("deep-param", lambda d: d["layers"][0]["params"].update(out_features=deep(900))),
]


@pytest.mark.parametrize("change", [c[1] for c in OUT_OF_RANGE_SPECS],
                         ids=[c[0] for c in OUT_OF_RANGE_SPECS])
def test_issue13_spec_numbers_beyond_float_range(change, tmp_path, capsys) -> None:
    data = json.loads(json.dumps(SPEC_DICT))
    change(data)
    text = json.dumps(data)
    for marker in (HUGE, "1e400", deep(900)):  # unquote: a number, not a string
        text = text.replace(json.dumps(marker), marker)
    path = tmp_path / "net.json"
    path.write_text(text, encoding="utf-8")
    result = run_cli(capsys, "summary", path)
    assert_cli_refuses(result)
    assert len(result.err_lines[0]) < 300  # the 400 digits are not echoed whole


@pytest.mark.parametrize(("field", "words"), [
    ("lr", "learning rate"), ("momentum", "momentum"),
    ("weight_decay", "weight decay"), ("clip_norm", "clipping")])
def test_issue13_config_numbers_beyond_float_range(
    field, words, tmp_path, capsys
) -> None:
    config = json.dumps({**TrainConfig(epochs=1).to_dict(), field: 1}).replace(
        f'"{field}": 1', f'"{field}": {HUGE}')
    path = tmp_path / "cfg.nnstudio"
    path.write_bytes(_issue13_zip({"config.json": config}))
    assert_cli_refuses(run_cli(capsys, "summary", path), words)
    with pytest.raises(NNStudioError) as info:  # from Python too: 10**400 as an int
        TrainConfig.from_dict({field: 10**400})
    assert_error_message(info.value, words)


def test_issue13_spec_values_are_quoted_short(capsys) -> None:
    with pytest.raises(NNStudioError) as info:
        NetworkSpec.from_dict({**SPEC_DICT, "schema_version": 10**5000})
    assert_error_message(info.value, "schema")
    assert len(str(info.value)) < 200


def test_issue13_duplicate_entries_are_refused(tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("spec.json", json.dumps(SPEC_DICT))
        archive.writestr("spec.json", json.dumps({**SPEC_DICT, "layers": []}))
    path = tmp_path / "twice.nnstudio"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert_error_message(info.value, "spec.json", "twice")


def test_issue13_total_size_is_refused_before_inflating(tmp_path, monkeypatch) -> None:
    """Each entry below its own cap, together above the project's: refused by the
    declared sizes, so nothing is inflated (the memory peak stays tiny)."""
    import tracemalloc

    from nnstudio.core.project import files

    pad = " " * (3 << 20)  # 3 MB of spaces: ~3 KB deflated
    entries = {"spec.json": json.dumps(SPEC_DICT) + pad, "config.json": "{}" + pad,
               "history.json": "[]" + pad}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    path = tmp_path / "bomb.nnstudio"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(files, "MAX_PROJECT_BYTES", 8 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(ProjectFileError) as info:
            load_project(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_error_message(info.value, "bomb.nnstudio", "MB")
    assert peak < 1 << 20, f"{peak:,} bytes allocated"


def test_issue13_an_entry_is_inflated_only_up_to_its_cap(tmp_path, monkeypatch) -> None:
    from nnstudio.core.project import files

    path = tmp_path / "big-entry.nnstudio"
    path.write_bytes(_issue13_zip({"history.json": "[" + " " * (2 << 20) + "]"}))
    monkeypatch.setattr(files, "MAX_JSON_BYTES", 1 << 20)
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert_error_message(info.value, "history.json", "large")


def test_issue13_too_many_layers_refused_fast(tmp_path, capsys) -> None:
    """10^5 layers froze the window for 38 s; now one line before any is read."""
    layers = [{"kind": "ReLU", "params": {}}] * 100_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps({**SPEC_DICT, "layers": layers}), encoding="utf-8")
    started = time.perf_counter()
    assert_cli_refuses(run_cli(capsys, "summary", path), "100,000", "layers")
    assert time.perf_counter() - started < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("name", ["pipe.nnstudio", "pipe.json"])
def test_issue13_fifo_is_refused_not_waited_on(name, tmp_path) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "nnstudio", "summary", str(fifo)],
        capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert_user_message(done.stderr.strip(), name, "not a regular file")


# --- file modes and temporaries -------------------------------------------------------
@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_issue13_saved_files_respect_the_umask_and_keep_a_mode(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.nnstudio"
        save_project(fresh, Project(SPEC))
        assert fresh.stat().st_mode & 0o777 == 0o644  # was 0600 (mkstemp)
        shared = tmp_path / "shared.nnstudio"
        shared.write_bytes(good_bytes())
        shared.chmod(0o664)
        save_project(shared, Project(SPEC))
        assert shared.stat().st_mode & 0o777 == 0o664  # was turned into 0600
        os.umask(0o077)
        private = tmp_path / "private.nnstudio"
        save_project(private, Project(SPEC))
        assert private.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_issue13_debris_of_a_dead_writer_is_swept_on_open_and_save(tmp_path) -> None:
    """A killed save's temporary goes at once (its writer is gone), not 10 minutes
    later; a temporary another running studio is writing now stays."""
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    host = fileio._HOST
    dead = tmp_path / f".{path.name}.{host}-{_dead_pid()}.0a1b2c3d.tmp"
    alive = tmp_path / f".{path.name}.{host}-{os.getppid()}.0a1b2c3d.tmp"
    for tmp in (dead, alive):
        tmp.write_bytes(b"half a project")
    load_project(path)  # opening the project sweeps
    assert temp_leftovers(tmp_path) == [alive]
    dead.write_bytes(b"half a project")
    save_project(path, Project(SPEC))  # and so does every save
    assert temp_leftovers(tmp_path) == [alive]


def test_issue13_ctrl_c_while_writing_leaves_no_temporary(
    tmp_path, monkeypatch
) -> None:
    path = tmp_path / "mine.nnstudio"
    path.write_bytes(good_bytes())
    monkeypatch.setattr(fileio.os, "fsync", _fail(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        save_project(path, Project(SPEC.remove(1)))
    monkeypatch.undo()
    assert temp_leftovers(tmp_path) == []
    assert path.read_bytes() == good_bytes()


# --- data info: saved by train --save, used by predict and evaluate ---------------
def _flat_net(folder: Path) -> Path:
    path = folder / "flat.json"
    path.write_text(json.dumps({"input_shape": [1, 28, 28], "layers": [
        {"kind": "Flatten"}, {"kind": "Linear", "params": {"out_features": 2}}]}))
    return path


def test_issue13_train_save_stores_the_data_info(tmp_path, capsys) -> None:
    images = shapes_folder(tmp_path / "shapes")
    project = tmp_path / "shapes.nnstudio"
    result = run_cli(capsys, "train", _flat_net(tmp_path), "--dataset", images,
                     "--epochs", "2", "--no-probes", "--save", project)
    assert result.rc == 0, result.err
    info = load_project(project).data_info
    assert info["class_names"] == ["bar", "ring"]
    assert info["task"] == "classification" and info["input_shape"] == [1, 28, 28]
    assert 0 < info["mean"] < 1 and 0 < info["std"] < 1
    result = run_cli(capsys, "predict", project, "--json", images / "ring" / "3.png")
    assert result.rc == 0, result.err
    assert json.loads(result.out)["classes"] == ["bar", "ring"]  # names, not 0 and 1


def test_issue13_evaluate_normalizes_as_in_training(tmp_path, capsys) -> None:
    """The stored mean/std are applied, not the scored data's own statistics."""
    images = shapes_folder(tmp_path / "shapes")
    project = tmp_path / "shapes.nnstudio"
    run_cli(capsys, "train", _flat_net(tmp_path), "--dataset", images,
            "--epochs", "2", "--no-probes", "--save", project)
    scores = []
    for std in (None, 0.05):
        if std is not None:  # the same file with a different stored std
            loaded = load_project(project)
            save_project(project, Project(loaded.spec, loaded.config, loaded.weights,
                                          loaded.history,
                                          {**loaded.data_info, "std": std}))
        result = run_cli(capsys, "evaluate", project, "--dataset", images, "--json")
        assert result.rc == 0, result.err
        scores.append(json.loads(result.out.splitlines()[-1])["loss"])
    assert scores[0] != pytest.approx(scores[1])


def test_issue13_data_info_of_a_dataset_for_the_window() -> None:
    """`data_info(data)` is what the window's save stores (Document.to_project)."""
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.project.files import check_data_info, data_info

    data = load_dataset("digits")
    info = data_info(data)
    check_data_info(info)  # what it writes, it reads back
    assert info["name"] == "digits" and info["class_names"][:2] == ["0", "1"]
    assert info["input_shape"] == list(data.input_shape)
    assert info["std"] == pytest.approx(float(data.std))
    assert data_info(None) == {}
    saved = zipfile.ZipFile(io.BytesIO(project_bytes(Project(SPEC, data_info=info))))
    assert json.loads(saved.read("data.json")) == info


# --- export names ---------------------------------------------------------------------
def test_issue13_export_name_with_quotes_compiles(tmp_path, capsys) -> None:
    for name in ('a"""b.py', 'c\\N{x}"d.py', "e\\.py"):
        target = tmp_path / name
        assert run_cli(capsys, "export", "spiral-relu", "--to", target).rc == 0
        compile(target.read_text(encoding="utf-8"), name, "exec")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="file names there are always Unicode")
@pytest.mark.parametrize("ext", [".py", ".json"])
def test_issue13_export_to_a_non_utf8_name(ext, tmp_path) -> None:
    target = os.fsencode(tmp_path) + b"/bad\xff" + ext.encode()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "nnstudio", "export", "spiral-relu", "--to", target],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert os.path.isfile(target)
    if ext == ".py":
        compile(open(target, "rb").read(), "bad.py", "exec")


# --- a closed pipe ----------------------------------------------------------------
@pytest.mark.parametrize("args", [["presets"], ["datasets"]])
def test_issue13_closed_pipe_is_quiet(args, tmp_path) -> None:
    """`nnstudio presets | head -1`: the reader is gone before we write."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    read, write = os.pipe()
    os.close(read)  # like head after its first line
    try:
        done = subprocess.run([sys.executable, "-m", "nnstudio", *args], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=env)
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, (
        done.stderr)
    assert done.stderr.strip() == ""


# --- issue 13 in the window: File > Open of such a file says why ------------------
WINDOW_ISSUE13 = [
    ("deep-spec", {"spec.json": deep(DEEP)}, "nested more than"),
    ("deep-history", {"history.json": deep(DEEP)}, "nested more than"),
    ("huge-lr", {"config.json": '{"lr": ' + HUGE + "}"}, "learning rate"),
    ("huge-param", {"spec.json": json.dumps(SPEC_DICT).replace(
        '"out_features": 100', f'"out_features": {HUGE}')}, "out_features"),
    ("format-version-float", {"meta.json": '{"format_version": 2.0}'}, "version 2.0"),
    ("broken-data-json", {"data.json": '{"std": -1}'}, "data.json"),
]


@pytest.mark.parametrize("entries,fragment", [c[1:] for c in WINDOW_ISSUE13],
                         ids=[c[0] for c in WINDOW_ISSUE13])
def test_issue13_window_open_shows_the_refusal(
    entries, fragment, studio, tmp_path, shots
) -> None:
    """File > Open of these did nothing visible (a traceback went to the log)."""
    window = studio
    spec, name = window.document.spec, window.document.name
    path = tmp_path / "hostile.nnstudio"
    path.write_bytes(_issue13_zip(entries))
    try:
        opened = window.open_file(path)
    except Exception as exc:  # what reached Qt as a traceback from the Open action
        pytest.fail(f"open raised {type(exc).__name__}: {exc}")
    if opened:  # a spec with problems opens, and says what is wrong
        assert_user_message(window.training_panel.run.blocked_label.text(), fragment)
        return
    bar = window.message_bar
    assert bar.isVisible() and bar.last_level == "error"
    assert_user_message(bar.last_text, fragment)
    assert window.document.spec == spec and window.document.name == name
    assert window.modals.calls == []
    if entries.get("spec.json", "").startswith("[["):
        window.grab().save(str(shots / "issue13_open_deep_json.png"))


def test_issue13_weights_larger_than_the_network_are_refused_unread(tmp_path) -> None:
    """A weights entry declaring more bytes than the spec's tensors can take is
    refused from its declared size (spiral-relu: 603 floats, not 50 MB)."""
    import tracemalloc

    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("spec.json", json.dumps(SPEC_DICT))
        archive.writestr("weights.safetensors", b"\0" * (50 << 20))
    path = tmp_path / "fat.nnstudio"
    path.write_bytes(big.getvalue())
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ProjectFileError) as info:
            load_project(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_error_message(info.value, "weights.safetensors", "large")
    assert peak < 4 << 20, f"{peak:,} bytes allocated"


def test_issue13_two_threads_saving_one_file_never_sweep_each_other(tmp_path) -> None:
    """The window's save and its autosave may write the same file at once: each
    sweep must leave the other's temporary alone (every save succeeds)."""
    import threading

    path = tmp_path / "busy.nnstudio"
    errors: list[BaseException] = []

    def saver() -> None:
        try:
            for _ in range(15):
                save_project(path, Project(SPEC))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=saver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and temp_leftovers(tmp_path) == []
    assert load_project(path).spec == SPEC
