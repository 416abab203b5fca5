"""The `nnstudio` command: the studio with no sub-command, the CLI with one.

Sub-commands live in nnstudio/commands/, one module each with `add_parser()` and
`run(args) -> int`. The UI is imported only when the studio opens.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from nnstudio import __version__
from nnstudio.cli_text import install_argparse_hook, localize
from nnstudio.core.errors import NNStudioError
from nnstudio.core.i18n import lang

COMMANDS = (
    "presets",
    "datasets",
    "summary",
    "export",
    "train",
    "evaluate",
    "predict",
    "bench",
    "import-weights",
    "pretrained",
)
EXIT_USAGE = 2
_NO_QT = {
    "en": "the studio needs PySide6, which cannot be imported here ({error}) — "
    "install it with: pip install 'PySide6-Essentials<6.12', or use the command "
    "line (nnstudio --help)",
    "zh": "工作室需要 PySide6，但这里无法导入它（{error}）——请用 "
    "pip install 'PySide6-Essentials<6.12' 安装，或使用命令行（nnstudio --help）",
}
EXIT_BROKEN_PIPE = 1  # as the Python documentation's SIGPIPE recipe exits


def say(message: str) -> None:
    """Print to stderr when there is one (a windowed frozen build has none)."""
    if sys.stderr is not None:
        print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    install_argparse_hook()
    parser = argparse.ArgumentParser(
        prog="nnstudio",
        description="Build, train and look inside neural networks. With no command, "
        "opens the studio (optionally on FILE.nnstudio).",
    )
    parser.add_argument(
        "--version", action="version", version=f"nnstudio {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        _module(name).add_parser(sub)
    return localize(parser)


def build_gui_parser() -> argparse.ArgumentParser:
    install_argparse_hook()
    parser = argparse.ArgumentParser(prog="nnstudio", description="Open the studio.")
    parser.add_argument("file", nargs="?", help="a .nnstudio project to open")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window offscreen, train a few batches, save and "
        "reload a project, exit 0 if all worked",
    )
    parser.add_argument("--lang", choices=("en", "zh"), help="user interface language")
    parser.add_argument(
        "--version", action="version", version=f"nnstudio {__version__}"
    )
    return localize(parser)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS or args[:1] in (["-h"], ["--help"]):
            rc = _run_command(args)
            if sys.stdout is not None:
                sys.stdout.flush()  # here, where a closed pipe can still be caught
            return rc
        return _run_studio(build_gui_parser().parse_args(args))
    except BrokenPipeError:  # `nnstudio presets | head -1`: the reader has gone
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except NNStudioError as exc:
        say(f"nnstudio: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        say("nnstudio: interrupted")
        return 130


def _silence_stdout() -> None:
    """The Python documentation's recipe for SIGPIPE: point stdout at devnull so the
    flush at exit finds nowhere to fail, and leave without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no real stdout (tests, pythonw)
        pass


def _run_command(args: list[str]) -> int:
    parser = build_parser()
    parsed, extra = parser.parse_known_args(args)
    # `predict P --json a.png b.png`: a list positional may follow the options
    # (argparse gives an optional list its empty match before them)
    late = getattr(parsed, "late_positionals", None)
    if extra and late and not any(e.startswith("-") for e in extra):
        setattr(parsed, late, [*getattr(parsed, late), *extra])
    elif extra:
        parser.error(argparse._("unrecognized arguments: %s") % " ".join(extra))
    return int(_module(parsed.command).run(parsed) or 0)


def _module(command: str) -> Any:
    """nnstudio/commands/<command>.py ("import-weights" -> import_weights)."""
    return importlib.import_module(f"nnstudio.commands.{command.replace('-', '_')}")


def _run_studio(args: argparse.Namespace) -> int:
    if args.lang:
        os.environ["NNSTUDIO_LANG"] = args.lang
    if sys.platform == "win32":
        import torch  # noqa: F401  torch >= 2.9 fails to load its DLLs after PySide6
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:  # a headless install: say so, not a traceback
        raise NNStudioError(_NO_QT[lang()].format(error=exc), "no-qt") from None
    from nnstudio.ui.app import run_app

    return run_app(args.file, self_test=args.self_test)
