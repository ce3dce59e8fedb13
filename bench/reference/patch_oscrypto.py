"""Make oscrypto 1.3.0 import on OpenSSL 3.0.10 and newer, in the reference venv only.

oscrypto 1.3.0 (the latest on PyPI) reads the libcrypto version with the pattern
``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``, which cannot match a two-digit patch release
such as "OpenSSL 3.0.19". ``import oscrypto``, and with it certvalidator,
ask-sdk-webservice-support and flask-ask-sdk, then raises ``LibraryNotFoundError``.
The upstream fix (wbond/oscrypto#75 and #78, never released to PyPI; Debian ships it as
python3-oscrypto 1.3.0-1+deb12u1) widens the pattern to ``\\d+\\.\\d+\\.\\d+``.
This script applies that change to the copy installed in the interpreter that runs it.
It is idempotent, and it is used only for the benchmark's reference skill, never the product.

    bench/.venv-reference/bin/python bench/reference/patch_oscrypto.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

OLD = "'\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b'"
NEW = "'\\\\b(\\\\d+\\\\.\\\\d+\\\\.\\\\d+[a-z]*)\\\\b'"
FILES = ("_libcrypto_cffi.py", "_libcrypto_ctypes.py")


def patch(package_dir: Path) -> list[str]:
    """Rewrite the version regex in both libcrypto loaders; returns what was changed."""
    changed = []
    for name in FILES:
        path = package_dir / "_openssl" / name
        text = path.read_text(encoding="utf-8")
        if OLD in text:
            path.write_text(text.replace(OLD, NEW), encoding="utf-8")
            for cached in (path.parent / "__pycache__").glob(path.stem + ".*.pyc"):
                cached.unlink()
            changed.append(name)
        elif NEW not in text:
            raise SystemExit(f"{path}: version regex not found; oscrypto changed, check by hand")
    return changed


def main() -> int:
    spec = importlib.util.find_spec("oscrypto")
    if spec is None or spec.origin is None:
        print("oscrypto is not installed in this interpreter", file=sys.stderr)
        return 1
    changed = patch(Path(spec.origin).parent)
    print("oscrypto: patched " + ", ".join(changed) if changed else "oscrypto: already patched")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
