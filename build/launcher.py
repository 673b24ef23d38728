"""Frozen entry point: no arguments opens the window, a subcommand runs the command line."""

import sys

from shangnan_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
