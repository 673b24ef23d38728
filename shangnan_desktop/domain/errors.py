"""Typed domain errors, each carrying a message for the clerk in Chinese."""


class DomainError(Exception):
    """Base class: ``str(err)`` is a Chinese message fit to show the user."""


class ValidationError(DomainError):
    """Input that breaks a rule; nothing has been stored."""


class NotFoundError(DomainError):
    """A unit, group or period that does not exist."""


class LockedError(DomainError):
    """An edit to a quarter that has been finalised (定稿)."""


_ERRNO_TEXT = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "磁盘或文件夹是只读的",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "磁盘配额已用完",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "ENAMETOOLONG": "文件名或路径太长",
    "EEXIST": "文件已存在",
    "EBUSY": "文件正被其他程序使用",
    "ELOOP": "路径中的快捷方式（符号链接）层数过多或指向自身",
    "EIO": "磁盘读写出错",
    "EMFILE": "打开的文件太多",
    "EXDEV": "不能跨磁盘移动",
    "ENOTEMPTY": "文件夹不是空的",
    "ETXTBSY": "文件正被其他程序使用",
}


def os_error_text(exc: OSError) -> str:
    """An operating-system error as Chinese words (the English text only when we have none)."""
    import errno as _errno

    name = _errno.errorcode.get(exc.errno or -1, "")
    text = _ERRNO_TEXT.get(name)
    if text is None:
        winerror = getattr(exc, "winerror", None)
        text = {5: "没有权限", 32: "文件正被其他程序使用", 112: "磁盘已满", 39: "磁盘已满"}.get(winerror)
    return text or f"系统错误（{exc.strerror or exc}）"
