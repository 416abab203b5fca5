"""The command line under a Chinese locale (issue 13 §4): argparse's own help and
usage errors, our help texts, reasons inside sentences and table columns are Chinese;
under English nothing changed."""

from __future__ import annotations

import argparse
import re

import pytest

from .helpers import has_cjk, run_cli

ENGLISH_ARGPARSE = (
    "usage:",
    "show this help message and exit",
    "positional arguments",
    "options:",
    "error:",
    "the following arguments are required",
)


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")


def _help_texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.description] if parser.description else []
    for action in parser._actions:
        if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
            texts.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            texts += [c.help for c in action._choices_actions if c.help]
            for sub in action.choices.values():
                texts += _help_texts(sub)
    return texts


def test_every_help_text_is_chinese_under_zh(zh) -> None:
    from nnstudio.cli import build_gui_parser, build_parser

    texts = _help_texts(build_parser()) + _help_texts(build_gui_parser())
    untranslated = [t for t in texts if not has_cjk(t)]
    assert len(texts) > 40 and untranslated == []


@pytest.mark.parametrize("args", [["--help"], ["train", "--help"], ["-h"]])
def test_help_is_chinese_under_zh(zh, capsys, args) -> None:
    result = run_cli(capsys, *args)
    assert result.rc == 0
    assert "用法：" in result.out and "显示此帮助信息并退出" in result.out
    for english in ENGLISH_ARGPARSE:
        assert english not in result.out, english


@pytest.mark.parametrize(
    "args, words",
    [
        (["export"], "缺少以下必需参数"),
        (["presets", "--bogus"], "无法识别的参数"),
        (["train", "spiral-relu", "--epochs"], "需要一个值"),
        (["summary", "spiral-relu", "--json=x"], "忽略了显式给出的值"),
    ],
)
def test_usage_errors_are_chinese_under_zh(zh, capsys, args, words) -> None:
    result = run_cli(capsys, *args)
    assert result.rc == 2 and words in result.err and "错误" in result.err
    for english in ENGLISH_ARGPARSE:
        assert english not in result.err, english


def test_english_is_unchanged(monkeypatch, capsys) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", "en")
    result = run_cli(capsys, "export")
    assert "usage: nnstudio export" in result.err
    assert "error: the following arguments are required: net, --to" in result.err
    assert not has_cjk(run_cli(capsys, "train", "--help").out)


def test_a_missing_dataset_path_is_one_chinese_sentence(zh, capsys, tmp_path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli(capsys, "summary", "spiral-relu", "--dataset", missing)
    assert result.rc == 2 and "不存在" in result.err
    assert not re.search(r"\((not found|permission denied)\)", result.err)


def test_the_task_column_of_datasets_is_chinese(zh, capsys) -> None:
    result = run_cli(capsys, "datasets")
    assert result.rc == 0
    rows = {line.split()[0]: line.split()[1] for line in result.out.splitlines()}
    assert rows["spiral"] == "分类" and rows["sincos"] == "回归"
    assert "classification" not in result.out and "regression" not in result.out
