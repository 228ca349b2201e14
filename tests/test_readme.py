"""The Python code shown to readers runs: every ```python block of the README and of the
documentation pages written as self-contained examples, each in a fresh interpreter."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ROOT / "README.md",
    ROOT / "docs" / "index.md",
    ROOT / "docs" / "getting_started.md",
    *sorted((ROOT / "docs" / "user_guide").glob("*.md")),
]
FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(text):
    """The body of every ```python fence in a Markdown text, in order."""
    return FENCE.findall(text)


BLOCKS = [
    pytest.param(block, id=f"{page.relative_to(ROOT)}:{number}")
    for page in PAGES
    for number, block in enumerate(python_blocks(page.read_text(encoding="utf-8")), 1)
]


def test_fences_are_found():
    text = "intro\n```python\nx = 1\n```\n```bash\nls\n```\n```python\ny = 2\nz = 3\n```\n"
    assert python_blocks(text) == ["x = 1\n", "y = 2\nz = 3\n"]
    assert len([b for b in BLOCKS if "README.md" in b.id]) >= 1


@pytest.mark.parametrize("code", BLOCKS)
def test_block_runs(code, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, f"this block failed:\n{code}\n{proc.stderr[-3000:]}"
