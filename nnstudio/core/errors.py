"""Errors the user can cause. Each message is one line that says what to do."""

from __future__ import annotations


class NNStudioError(Exception):
    """Base of every error meant to reach a user as one plain sentence."""

    code = "error"

    def __init__(
        self, message: str, code: str | None = None, data: dict | None = None
    ) -> None:
        super().__init__(message)
        if code:
            self.code = code
        # what a surface other than the CLI needs to word the error its own way
        # (the window says "choose CPU in the Device box", the CLI "--device cpu")
        self.data: dict = dict(data or {})


class SpecError(NNStudioError):
    code = "spec"


class ProjectFileError(NNStudioError):
    code = "project-file"


class DatasetError(NNStudioError):
    code = "dataset"


class DownloadError(DatasetError):
    code = "download"


class ConfigError(NNStudioError):
    code = "config"


class PredictError(NNStudioError):
    code = "predict"
