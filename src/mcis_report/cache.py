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
OUTPUT_LIBRARIES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "pandera",
    "pycountry",
    "PyYAML",
    "nbformat",
    "nbclient",
    "nbconvert",
    "papermill",
    "ipykernel",
    "jinja2",
    "mistune",
    "pillow",
    "Babel",
    "MarkupSafe",
    "pyahocorasick",
    "pyogrio",
    "shapely",
)
#: Optional files of the data folder that a report reads besides the tables: the map's country shapes
#: (``geo.SHAPES_FILE``, named here so that this module stays free of pandas).
OPTIONAL_DATA_FILES = ("geo/countries-110m.json",)
CACHE_FORMAT = 2  # 2: the manifest records a content hash of every file


def _sha(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()


def data_hash(data_dir: Path) -> str:
    """Content hash of every data file read (a missing file hashes as absent)."""
    chunks = []
    for name in (*DATA_FILES, *OPTIONAL_DATA_FILES):
        path = data_dir / name
        chunks += [name.encode(), path.read_bytes() if path.is_file() else b"<missing>"]
    return _sha(*chunks)


@cache
def package_hash() -> str:
    """Content hash of the package's own code, catalogues and templates."""
    files = sorted(
        p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".j2", ".css", ".json"}
    )
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
    """The notebook's code cells and Markdown cells, apart: the two halves of its cache keys."""
    document = json.loads(notebook.read_text(encoding="utf-8"))
    code: list[bytes] = []
    markdown: list[bytes] = []
    for cell in document.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        tags = ",".join(cell.get("metadata", {}).get("tags", []))
        (code if cell.get("cell_type") == "code" else markdown).append(f"{tags}\n{text}".encode())
    return NotebookParts(code=_sha(*code), markdown=_sha(*markdown))


def execution_key(parts: NotebookParts, parameters: dict, data: str) -> str:
    """Everything that can change the executed notebook."""
    params = json.dumps(parameters, sort_keys=True).encode()
    return _sha(
        str(CACHE_FORMAT).encode(),
        parts.code.encode(),
        params,
        data.encode(),
        package_hash().encode(),
        environment_fingerprint().encode(),
    )


def export_key(parts: NotebookParts, execution: str) -> str:
    """Everything that can change the page given the executed notebook."""
    return _sha(execution.encode(), parts.markdown.encode())


def file_hash(path: Path) -> str | None:
    """SHA-256 of a file's content; ``None`` when it cannot be read (missing, a folder, unreadable).

    A report page is hashed without its navigation blocks, which the build refreshes whenever another
    report appears (see :func:`content_hash`).
    """
    try:
        return content_hash(path.name, path.read_bytes())
    except OSError:
        return None


def content_hash(name: str, data: bytes) -> str:
    """SHA-256 of a report file's bytes (``report.html``: with its navigation emptied)."""
    if name == "report.html":
        from .export import without_navigation

        data = without_navigation(data.decode("utf-8", errors="surrogateescape")).encode(
            "utf-8", errors="surrogateescape"
        )
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict:
    """The manifest of the last good build in ``folder``; ``{}`` when missing, unreadable or malformed."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict):
        return {}
    files = manifest.get("files")
    if (
        not isinstance(files, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
        or not isinstance(manifest.get("execution"), str)
        or not isinstance(manifest.get("export"), str)
    ):
        return {}
    if any(Path(name).is_absolute() or ".." in Path(name).parts for name in files):
        return {}  # a manifest only ever names files inside its report folder
    return manifest


def manifest_text(execution: str, export: str, files: dict[str, str]) -> str:
    """The manifest: both cache keys and ``{relative path: sha256}`` of every file the report wrote."""
    return (
        json.dumps(
            {"format": CACHE_FORMAT, "execution": execution, "export": export, "files": dict(files)},
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


def damaged_files(folder: Path, manifest: dict) -> list[str]:
    """Files of the manifest that are missing or whose content changed since they were written."""
    files = manifest.get("files") or {}
    if "report.html" not in files:
        return ["report.html"]
    return sorted(name for name, digest in files.items() if file_hash(folder / name) != digest)


def is_fresh(folder: Path, manifest: dict, execution: str, export: str) -> bool:
    """``manifest`` (of the last good build in ``folder``) has these keys and every file is intact."""
    return (
        manifest.get("execution") == execution
        and manifest.get("export") == export
        and not damaged_files(folder, manifest)
    )
