"""Render the example year's summary sheet to docs/summary.png, the picture in the README (a
developer tool; needs LibreOffice's `soffice` and poppler's `pdftoppm`).

    .venv/bin/python scripts/render_summary.py

The same steps by hand: `recon build examples/2024`, then `soffice --headless --convert-to pdf`
of examples/2024/recon-2024.xlsx, then `pdftoppm -png -f 1 -l 1` of the PDF. Run it after a
change to the workbook or the template, and commit the picture with the change.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from recon import commands

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2024"
PICTURE = ROOT / "docs" / "summary.png"
DPI = 100
TIMEOUT_S = 300


def main() -> None:
    """Build the example's report, print it to PDF in LibreOffice, and keep page 1 as a PNG."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("needs soffice (LibreOffice Calc) and pdftoppm (poppler-utils) on PATH")
    _, workbook = commands.build(EXAMPLE)
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / f"lo-{secrets.token_hex(8)}"  # never share a running user's profile
        _run(soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", work, str(workbook))
        pdf = Path(work) / f"{workbook.stem}.pdf"
        PICTURE.parent.mkdir(exist_ok=True)
        _run("pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(PICTURE.with_suffix("")))
    print(PICTURE)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, timeout=TIMEOUT_S, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
