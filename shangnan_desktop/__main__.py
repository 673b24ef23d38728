"""Entry point for ``python -m shangnan_desktop``."""

import sys

from shangnan_desktop.cli import main

sys.exit(main())
