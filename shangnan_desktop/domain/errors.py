"""Typed domain errors, each carrying a message for the clerk in Chinese."""


class DomainError(Exception):
    """Base class: ``str(err)`` is a Chinese message fit to show the user."""


class ValidationError(DomainError):
    """Input that breaks a rule; nothing has been stored."""


class NotFoundError(DomainError):
    """A unit, group or period that does not exist."""


class LockedError(DomainError):
    """An edit to a quarter that has been finalised (定稿)."""
