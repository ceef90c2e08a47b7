"""Notebook execution (build layer): warm kernels, each reused for several reports, in worker threads.

A :class:`KernelWorker` owns one kernel. It starts it at once and imports the report package in it
(so the kernel's heavy imports overlap the driver's data validation), then runs one parameterised
notebook after another in that same kernel, clearing the namespace in between. Every worker has its
own kernel, ports and connection file; :meth:`KernelWorker.kill` ends the kernel from any thread.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook
from papermill.parameterize import parameterize_notebook

KERNEL = "python3"
# Once per kernel, before any report: the heavy imports, the data (validated once, then cached while its
# files are unchanged) and matplotlib's fonts and renderer.
WARM_UP = """\
import matplotlib.pyplot as plt
import mcis_report.report
mcis_report.charts.set_theme()
plt.subplots()[0].savefig(__import__("io").BytesIO(), format="png")
plt.close("all")
{load}"""
RESET = "get_ipython().run_line_magic('reset', '-f')  # a clean namespace for the next report"


@dataclass
class ExecutionFailure(Exception):
    """A cell failed or timed out: which one (index in the executed notebook), why, and that notebook."""

    cell: int | None
    ename: str
    evalue: str
    nb: object = None


class KernelWorker:
    """One kernel, reused for a sequence of notebooks, driven from one thread."""

    def __init__(self, cwd: Path, name: str, data_dir: Path | None = None):
        self.cwd = cwd
        self.name = name
        self.data_dir = data_dir
        self.km = None
        self._lock = threading.Lock()
        self.runs = 0

    # -- kernel lifetime ---------------------------------------------------------------------
    def _client(self, nb, timeout: int | None = None) -> NotebookClient:
        return NotebookClient(nb, km=self.km, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                              resources={"metadata": {"path": str(self.cwd)}}, allow_errors=False)

    def start(self) -> None:
        """Start the kernel and import the report package in it."""
        from jupyter_client.manager import AsyncKernelManager

        with self._lock:
            self.km = AsyncKernelManager(kernel_name=KERNEL)
        # The kernel's own start-up chatter (TCP warning, shutdown notices) is not build output.
        load = "" if self.data_dir is None else f"mcis_report.load_dataset({str(self.data_dir)!r})"
        self._run(new_notebook(cells=[new_code_cell(WARM_UP.format(load=load))]), stderr=subprocess.DEVNULL,
                  env=kernel_environment())

    def _run(self, nb, timeout: int | None = None, **start_kwargs):
        client = self._client(nb, timeout)
        try:
            client.execute(**start_kwargs)
        finally:
            _release(client)
        return client.nb

    def kill(self) -> None:
        """End the kernel now (safe from any thread; idempotent)."""
        with self._lock:
            km, self.km = self.km, None
        if km is None:
            return
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        km.cleanup_connection_file()  # the kernel is gone: remove its connection file

    # -- running reports ---------------------------------------------------------------------
    def run_notebook(self, notebook: Path, parameters: dict, timeout: int | None = None):
        """Execute ``notebook`` with ``parameters`` in this worker's kernel; return the executed notebook.

        Raises :class:`ExecutionFailure` (with the executed notebook as ``.nb``) when a cell fails.
        """
        if self.km is None:
            self.start()
        if self.runs:
            self._run(new_notebook(cells=[new_code_cell(RESET)]))
        self.runs += 1
        source = nbformat.read(notebook, as_version=4)
        for cell in source.cells:
            cell.metadata.setdefault("tags", [])  # papermill expects every cell to have tags
        source.metadata.setdefault("papermill", {})  # ... and the notebook a papermill section
        nb = parameterize_notebook(source, parameters, kernel_name=KERNEL, language="python")
        client = self._client(nb, timeout)
        try:
            client.execute()
        except CellExecutionError as exc:
            raise ExecutionFailure(_error_cell(client.nb), exc.ename, exc.evalue, client.nb) from None
        except (CellTimeoutError, DeadKernelError) as exc:
            timed_out = isinstance(exc, CellTimeoutError)
            reason = f"no result after {timeout} s" if timed_out else str(exc)
            failure = ExecutionFailure(_running_cell(client), type(exc).__name__, reason, client.nb)
            self.kill()  # the kernel is stuck or gone: the next report gets a fresh one
            raise failure from None
        finally:
            _release(client)
        return client.nb


def kernel_environment() -> dict[str, str]:
    """Environment of a build kernel: ours, with matplotlib drawing off-screen (Agg).

    The backend is chosen here, for the build's kernels only, so that importing the package never
    switches the backend of a user's own session.
    """
    return {**os.environ, "MPLBACKEND": "Agg"}


def _release(client: NotebookClient) -> None:
    """Close the client's channels; drop nbclient's exit hook (our workers end their kernels themselves)."""
    atexit.unregister(client._cleanup_kernel)
    if client.kc is not None:
        client.kc.stop_channels()
        client.kc = None


def _error_cell(nb) -> int | None:
    for index, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    return None


def _running_cell(client: NotebookClient) -> int | None:
    executed = client.code_cells_executed
    seen = 0
    for index, cell in enumerate(client.nb.cells):
        if cell.cell_type == "code":
            seen += 1
            if seen == executed:
                return index
    return None
