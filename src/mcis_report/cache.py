"""Build cache (build layer): what a report depends on, hashed, and the manifest of the last good build.

Kept free of heavy imports (no pandas, no Jupyter machinery) so that a rebuild with nothing changed
answers in a fraction of a second without starting a kernel.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from .tables import DATA_FILES

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST = ".mcis-build.json"
#: Libraries whose version can change the executed notebook or the page.
OUTPUT_LIBRARIES = ("pandas", "numpy", "matplotlib", "seaborn", "pandera", "pycountry", "PyYAML", "nbformat",
                    "nbclient", "nbconvert", "papermill", "ipykernel", "jinja2", "mistune", "beautifulsoup4",
                    "pillow", "Babel", "MarkupSafe")
CACHE_FORMAT = 1


def _sha(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()


def data_hash(data_dir: Path) -> str:
    """Content hash of every data file read (a missing file hashes as absent)."""
    chunks = []
    for name in DATA_FILES:
        path = data_dir / name
        chunks += [name.encode(), path.read_bytes() if path.is_file() else b"<missing>"]
    return _sha(*chunks)


@cache
def package_hash() -> str:
    """Content hash of the package's own code, catalogues and templates."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".j2", ".css",
                                                                                          ".json"})
    return _sha(*(c for p in files for c in (str(p.relative_to(PACKAGE_DIR)).encode(), p.read_bytes())))


@cache
def environment_fingerprint() -> str:
    """Python and the versions of the libraries that shape the output."""
    parts = [sys.version]
    for name in OUTPUT_LIBRARIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return _sha(*(p.encode() for p in parts))


@dataclass(frozen=True)
class NotebookParts:
    """Hashes of a notebook's code cells (execution) and Markdown cells (export only)."""

    code: str
    markdown: str


def notebook_parts(notebook: Path) -> NotebookParts:
    document = json.loads(notebook.read_text(encoding="utf-8"))
    code, markdown = [], []
    for cell in document.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        tags = ",".join(cell.get("metadata", {}).get("tags", []))
        (code if cell.get("cell_type") == "code" else markdown).append(f"{tags}\n{text}".encode())
    return NotebookParts(code=_sha(*code), markdown=_sha(*markdown))


def execution_key(parts: NotebookParts, parameters: dict, data: str) -> str:
    """Everything that can change the executed notebook."""
    params = json.dumps(parameters, sort_keys=True).encode()
    return _sha(str(CACHE_FORMAT).encode(), parts.code.encode(), params, data.encode(), package_hash().encode(),
                environment_fingerprint().encode())


def export_key(parts: NotebookParts, execution: str) -> str:
    """Everything that can change the page given the executed notebook."""
    return _sha(execution.encode(), parts.markdown.encode())


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manifest_text(execution: str, export: str, files: list[str]) -> str:
    return json.dumps({"format": CACHE_FORMAT, "execution": execution, "export": export, "files": sorted(files)},
                      indent=1, sort_keys=True) + "\n"


def is_fresh(folder: Path, manifest: dict, execution: str, export: str) -> bool:
    """``manifest`` (of the last good build in ``folder``) has these keys and all its files are still there."""
    return (manifest.get("execution") == execution and manifest.get("export") == export
            and all((folder / f).is_file() for f in manifest.get("files", ["report.html"])))
