"""The engine is a pure library: importing all of it never imports Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import redaction
names = [m.name for m in pkgutil.walk_packages(redaction.__path__, "redaction.")]
for name in names:
    if name != "redaction.__main__":
        importlib.import_module(name)
from redaction import Redactor
Redactor().redact("call 98765 43210")
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "channels")))
print(len(names), loaded)
"""


def test_no_module_under_redaction_imports_django():
    """Every module is imported in a fresh interpreter, then sys.modules is checked."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) >= 10  # the probe really walked the package
    assert loaded.strip() == "[]"
