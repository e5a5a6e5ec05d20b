"""``python -m redaction``: see :mod:`redaction.cli`."""

import sys

from redaction.cli import main

sys.exit(main())
