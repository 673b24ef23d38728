"""Writes a file whole or not at all: a temporary file in the same folder, then ``os.replace``."""

from __future__ import annotations

import errno
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from shangnan_desktop.domain import DomainError
from shangnan_desktop.domain.errors import os_error_text

logger = logging.getLogger(__name__)

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}

# Checks a target must pass before anything is written to it: each returns a Chinese reason to refuse,
# or None. The application layer installs storage's "never over the database or a backup" check here
# (reports know nothing of storage).
_target_guards: list[Callable[[Path], str | None]] = []


def add_target_guard(check: Callable[[Path], str | None]) -> None:
    """Refuse every later write whose target ``check`` objects to (installed once; repeats are ignored)."""
    if check not in _target_guards:
        _target_guards.append(check)


def refusal(target: str | Path) -> str | None:
    """Why ``target`` must not be written to, or None."""
    for check in _target_guards:
        reason = check(Path(target))
        if reason is not None:
            return reason
    return None


class ExportError(DomainError):
    """An export that could not be written; ``str(err)`` tells the clerk why and what to do."""


def _message(exc: OSError, target: Path, stage: str) -> str:
    name = target.name
    folder = str(target.parent)
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if code in _NO_SPACE or winerror in (39, 112):
        return f"磁盘已满，“{name}”未能保存，也没有留下临时文件。请清理磁盘空间或换一个磁盘后重试。"
    if code == errno.ENAMETOOLONG or winerror == 206:
        return f"文件名太长，“{name[:30]}…”未能保存。请用一个短一些的文件名（或放在层级少一些的文件夹中）后重试。"
    if stage == "replace" and (isinstance(exc, PermissionError) or winerror in (5, 32, 33)):
        return (
            f"无法覆盖“{name}”：该文件可能正在Excel、WPS或PDF阅读器中打开，或是只读文件。"
            "请关闭该文件后重试，或换一个文件名保存。"
        )
    if isinstance(exc, PermissionError) or code in _READ_ONLY:
        return f"没有权限在文件夹“{folder}”中保存文件（文件夹可能是只读的）。请换一个文件夹，如“文档”或桌面。"
    if isinstance(exc, FileNotFoundError):
        return f"文件夹“{folder}”不存在，请先选择一个存在的文件夹。"
    return f"保存“{name}”失败：{os_error_text(exc)}。请换一个位置后重试。"


def write_atomic(target: str | Path, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` on a temporary file beside ``target``, then move it into place.

    On any failure the temporary file is removed and an existing ``target`` is left
    as it was; disk problems become an ``ExportError`` with a Chinese message.
    """
    target = Path(target)
    reason = refusal(target)
    if reason is not None:
        raise ExportError(reason)
    if target.is_dir():
        raise ExportError(f"“{target}”是一个文件夹，请指定要保存的文件名。")
    if not target.parent.is_dir():
        raise ExportError(f"文件夹“{target.parent}”不存在，请先选择一个存在的文件夹。")
    stage = "create"
    tmp_name: str | None = None
    try:
        if len(target.name.encode("utf-8")) > 255:  # longer than any file system allows
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(target))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=".tmp", dir=target.parent)
        stage = "write"
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
            os.chmod(tmp_name, mode)
        stage = "replace"
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        logger.warning("writing %s failed at %s: %r", target, stage, exc)
        raise ExportError(_message(exc, target, stage)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                logger.warning("could not remove temporary file %s", tmp_name)
    logger.info("wrote %s", target)
    return target


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    return write_atomic(target, lambda fh: fh.write(data))
