"""The benchmark's own virtual environments (git-ignored, built on first use).

* ``bench/.venv-reference``: the reference skill's stack from ``reference/requirements.txt``,
  then ``reference/patch_oscrypto.py`` (oscrypto's upstream version-regex fix, applied here
  only; the product never uses oscrypto).
* ``bench/.venv-tools``: py-spy, for ``--profile``.

Both are rebuilt when their requirements change (a stamp file holds a hash of them).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

PY_SPY = "py-spy==0.4.3"


def _venv(
    path: Path, requirements: list[str], extra: list[list[str]], label: str, salt: bytes = b""
) -> Path:
    python = path / "bin" / "python"
    stamp = path / ".bench-stamp"
    digest = hashlib.sha256("\n".join(requirements).encode() + salt).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    started = time.perf_counter()
    print(f"setting up {path.name} ({label}); once only, about 15-30 s ...", flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--clear", str(path)], check=True)
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode != 0:
        raise RuntimeError(f"pip install failed for {path.name}:\n{pip.stdout}{pip.stderr}")
    for argv in extra:
        subprocess.run([str(python), *argv], check=True)
    stamp.write_text(digest)
    print(f"  {path.name} ready in {time.perf_counter() - started:.0f} s", flush=True)
    return python


def reference_venv(bench: Path) -> Path:
    requirements_file = bench / "reference" / "requirements.txt"
    requirements = [
        line.strip()
        for line in requirements_file.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    patch = bench / "reference" / "patch_oscrypto.py"
    return _venv(
        bench / ".venv-reference",
        requirements,
        [[str(patch)]],
        "flask-ask-sdk reference skill",
        salt=patch.read_bytes(),
    )


def tools_venv(bench: Path) -> Path:
    python = _venv(bench / ".venv-tools", [PY_SPY], [], "py-spy profiler")
    return python.parent / "py-spy"
