"""CLI sub-commands: one module each, with add_parser(subparsers) and run(args)."""

MAX_THREADS = 1024  # more than any CPU has: a typo, not a wish


def add_threads_option(parser) -> None:
    """`--threads N` for the commands that train or score (see core/threads.py)."""
    parser.add_argument(
        "--threads", metavar="N",
        help="CPU threads for torch (default: all cores but one, so a busy machine "
        "does not stall every step)")


def apply_threads(raw: str | None) -> int:
    """Parse --threads (a whole number of at least 1) and set it; exit 2 otherwise."""
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.i18n import text
    from nnstudio.core.threads import use_threads

    if raw is None:
        return use_threads()
    cleaned = raw.strip()
    if not cleaned.isdigit() or int(cleaned) < 1 or int(cleaned) > MAX_THREADS:
        raise ConfigError(text({
            "en": f"--threads must be a whole number from 1 to {MAX_THREADS} "
                  f"(got '{raw}')",
            "zh": f"--threads 必须是 1 到 {MAX_THREADS} 之间的整数(输入的是“{raw}”)"}))
    return use_threads(int(cleaned))
