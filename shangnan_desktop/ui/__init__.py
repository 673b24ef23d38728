"""PySide6 user interface: windows, table models, delegates, dialogs."""
