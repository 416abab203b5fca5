"""Every sentence the dataset layer can say to a user, in English and Chinese.

Kept in one table so both languages stay in step; each becomes the one-line message
of a `DatasetError` (or `DownloadError`) that the CLI and the UI show as is.
"""

from __future__ import annotations

from typing import Any, NoReturn

from nnstudio.core.errors import DatasetError, DownloadError
from nnstudio.core.i18n import Text, text

MESSAGES: dict[str, Text] = {
    "unknown": {
        "en": "Unknown dataset '{name}'. Known datasets: {names}; or give the path "
        "of a folder or CSV file.",
        "zh": "未知的数据集“{name}”。可用的数据集：{names}；也可以给出文件夹或 CSV "
        "文件的路径。",
    },
    "option": {
        "en": "Dataset '{name}' has no option '{option}' (its options: {options}).",
        "zh": "数据集“{name}”没有选项“{option}”（可用选项：{options}）。",
    },
    "bad_value": {
        "en": "Option '{option}' cannot be '{value}'; use one of: {choices}.",
        "zh": "选项“{option}”不能是“{value}”；可选值：{choices}。",
    },
    "bad_size": {
        "en": "The dataset size must be a whole number of at least 1, not {size}.",
        "zh": "数据集大小必须是不小于 1 的整数，而不是 {size}。",
    },
    "gen_too_big": {
        "en": "'{name}' with these settings would draw {count} points; the most is "
        "{limit}: choose a smaller size.",
        "zh": "按当前设置，“{name}”要生成 {count} 个点；上限是 {limit} 个：请选择"
        "更小的大小。",
    },
    "bad_noise": {
        "en": "The noise must be a number of 0 or more, not {noise}.",
        "zh": "噪声必须是大于等于 0 的数，而不是 {noise}。",
    },
    "empty": {
        "en": "The dataset '{where}' has no samples; give it at least a few points.",
        "zh": "数据集“{where}”没有任何样本；请至少提供几个样本。",
    },
    "too_few": {
        "en": "Only {count} sample(s): at least 2 are needed to make a training and a "
        "validation part.",
        "zh": "只有 {count} 个样本：至少需要 2 个才能分出训练集和验证集。",
    },
    "one_class": {
        "en": "The dataset '{where}' has only one class; a classifier needs at least "
        "two.",
        "zh": "数据集“{where}”只有一个类别；分类至少需要两个类别。",
    },
    "bad_labels": {
        "en": "The labels of '{where}' go up to {top} but there are only {count} "
        "class names; check the label file.",
        "zh": "“{where}”的标签最大为 {top}，但只有 {count} 个类别名；请检查标签文件。",
    },
    "nan": {
        "en": "The dataset '{where}' contains NaN or infinite values; remove or fill "
        "them first.",
        "zh": "数据集“{where}”包含 NaN 或无穷大的值；请先删除或填补它们。",
    },
    "huge_values": {
        "en": "The dataset '{where}' contains values beyond ±3.4e38, more than "
        "float32 training can hold; rescale them first.",
        "zh": "数据集“{where}”包含超出 ±3.4e38 的值，超出了 float32 训练能表示的范围；"
        "请先缩放这些值。",
    },
    "csv_target": {
        "en": "'{value}' in '{path}', row {row}, column {column} is not a finite "
        "number; regression targets must be numbers.",
        "zh": "“{path}”第 {row} 行、第 {column} 列的“{value}”不是有限的数；回归目标"
        "必须是数值。",
    },
    "bad_path": {
        "en": "Cannot read '{path}' ({reason}); check that it exists and that you may "
        "read it.",
        "zh": "无法读取“{path}”（{reason}）；请检查它是否存在以及是否有读取权限。",
    },
    "r_not_found": {"en": "not found", "zh": "不存在"},
    "r_not_regular": {
        "en": "not a regular file but a pipe, device or socket",
        "zh": "不是普通文件，而是管道、设备或套接字",
    },
    "too_big": {
        "en": "The dataset '{where}' would take {need} of memory, more than the "
        "{limit} nnstudio holds a dataset in; use fewer or smaller images.",
        "zh": "数据集“{where}”需要 {need} 内存，超过了 nnstudio 为一个数据集设定的 "
        "{limit} 上限；请使用更少或更小的图片。",
    },
    "not_dataset": {
        "en": "'{path}' holds no dataset: expected IDX files, the CIFAR-10 binary "
        "files, one subfolder of images per class, or a CSV file.",
        "zh": "“{path}”中没有数据集：需要 IDX 文件、CIFAR-10 二进制文件、每个类别一个"
        "图片子文件夹，或一个 CSV 文件。",
    },
    "bad_file": {
        "en": "Cannot read '{path}' as {kind} ({reason}); the file may be damaged.",
        "zh": "无法把“{path}”读作 {kind}（{reason}）；文件可能已损坏。",
    },
    "idx_labels": {
        "en": "'{images}' has no matching labels file; put '{labels}' (or the same "
        "name ending in .gz) next to it.",
        "zh": "“{images}”没有对应的标签文件；请把“{labels}”（或以 .gz 结尾的同名文件）"
        "放在它旁边。",
    },
    "idx_count": {
        "en": "'{images}' holds {n} images but '{labels}' holds {m} labels; use files "
        "that belong together.",
        "zh": "“{images}”有 {n} 张图片，但“{labels}”有 {m} 个标签；请使用配套的文件。",
    },
    "idx_shape": {
        "en": "The IDX files in '{path}' hold images of different sizes ({sizes}); "
        "use one size.",
        "zh": "“{path}”中的 IDX 文件图片尺寸不一致（{sizes}）；请使用同一尺寸。",
    },
    "r_idx_header": {
        "en": "the file ends inside its header",
        "zh": "文件在文件头处就结束了",
    },
    "r_idx_magic": {
        "en": "its header starts {magic}, not that of an unsigned-byte IDX file with "
        "{want} dimension(s)",
        "zh": "文件头以 {magic} 开头，不是 {want} 维无符号字节 IDX 文件的文件头",
    },
    "r_idx_length": {
        "en": "its header promises a file of {want} bytes but it has {got}",
        "zh": "文件头声明文件有 {want} 字节，但实际有 {got} 字节",
    },
    "r_idx_short": {
        "en": "its header promises {want} bytes of data but it holds only {got}",
        "zh": "文件头声明有 {want} 字节数据，但实际只有 {got} 字节",
    },
    "r_idx_long": {
        "en": "it holds more than the {want} bytes of data its header promises",
        "zh": "文件中的数据多于文件头声明的 {want} 字节",
    },
    "r_members": {
        "en": "the archive holds more than 1000 entries",
        "zh": "压缩包中的条目超过 1000 个",
    },
    "csv_missing": {
        "en": "Missing value in '{path}', row {row}, column {column}; fill it in or "
        "delete the row.",
        "zh": "“{path}”第 {row} 行、第 {column} 列缺少数值；请补上或删除该行。",
    },
    "csv_number": {
        "en": "'{value}' in '{path}', row {row}, column {column} is not a number; "
        "feature columns must be numeric.",
        "zh": "“{path}”第 {row} 行、第 {column} 列的“{value}”不是数字；特征列必须是"
        "数值。",
    },
    "csv_huge": {
        "en": "{value} in '{path}', row {row}, column {column} is too large to train "
        "with (beyond ±3.4e38, the float32 range); rescale that column.",
        "zh": "“{path}”第 {row} 行、第 {column} 列的 {value} 太大，无法用于训练（超出 "
        "float32 的 ±3.4e38 范围）；请缩放该列。",
    },
    "csv_label": {
        "en": "'{path}' has no column '{label}' for the label; its columns are: "
        "{columns}.",
        "zh": "“{path}”中没有可作为标签的列“{label}”；现有的列：{columns}。",
    },
    "csv_ragged": {
        "en": "Row {row} of '{path}' has {got} values but the first row has {want}; "
        "every row needs the same columns.",
        "zh": "“{path}”第 {row} 行有 {got} 个值，但第一行有 {want} 个；每行的列数"
        "必须相同。",
    },
    "csv_columns": {
        "en": "'{path}' needs at least one feature column and a label column.",
        "zh": "“{path}”至少需要一个特征列和一个标签列。",
    },
    "dl_failed": {
        "en": "Could not download {title}: {reason}. Check the internet connection or "
        "set NNSTUDIO_MIRROR to a mirror, or import it by hand: {manual}",
        "zh": "无法下载 {title}：{reason}。请检查网络连接或把 NNSTUDIO_MIRROR 设为镜像"
        "地址，或者手动导入：{manual}",
    },
    "dl_checksum": {
        "en": "The downloaded file {file} of {title} has the wrong checksum (damaged "
        "or changed on the server) and was deleted; try again, use another mirror "
        "(NNSTUDIO_MIRROR), or import it by hand: {manual}",
        "zh": "下载的 {title} 文件 {file} 校验和不符（已损坏或服务器上的文件已变），已"
        "删除；请重试、换一个镜像（NNSTUDIO_MIRROR），或者手动导入：{manual}",
    },
    "dl_cancelled": {
        "en": "Download of {title} cancelled; nothing was kept.",
        "zh": "已取消下载 {title}；没有保留任何部分文件。",
    },
    "manual": {
        "en": "download {files} from {url}, put them in one folder and choose that "
        "folder as the dataset.",
        "zh": "从 {url} 下载 {files}，放进同一个文件夹，然后把该文件夹选为数据集。",
    },
    "manual_one": {
        "en": "download {files} from {url}, put it in a folder and choose that folder "
        "as the dataset.",
        "zh": "从 {url} 下载 {files}，放进一个文件夹，然后把该文件夹选为数据集。",
    },
    "r_timeout": {
        "en": "the server did not answer within {seconds:g} s",
        "zh": "服务器在 {seconds:g} 秒内没有响应",
    },
    "r_connect": {
        "en": "could not connect to {host}",
        "zh": "无法连接到 {host}",
    },
    "r_interrupted": {
        "en": "the connection closed before the file was complete",
        "zh": "文件尚未传完连接就断开了",
    },
    "r_too_big": {
        "en": "the server sent more than the {size} that {file} has",
        "zh": "服务器发送的数据超过了 {file} 应有的 {size}",
    },
    "r_http": {
        "en": "the server answered HTTP {status} for {file}",
        "zh": "服务器对 {file} 返回了 HTTP {status}",
    },
    "r_other": {"en": "{detail}", "zh": "{detail}"},
    "r_permission": {"en": "permission denied", "zh": "没有权限"},
}


def say(key: str, **fmt: Any) -> str:
    """One message in the user's language, forced onto one line."""
    message = text(MESSAGES[key]).format(**fmt)
    return message.replace("\r", " ").replace("\n", " ")


def fail(
    key: str,
    *,
    error: type[DatasetError] = DatasetError,
    code: str | None = None,
    **fmt: Any,
) -> NoReturn:
    """Raise the user-facing error for `key`."""
    raise error(say(key, **fmt), code)


__all__ = ["MESSAGES", "DownloadError", "fail", "say"]
