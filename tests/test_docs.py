"""The README's op list is generated from the op table and must not drift from it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_op_list_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_op_docs.py"), "--check"])
    assert result.returncode == 0, "README.md's op list is stale: run python tools/gen_op_docs.py"
