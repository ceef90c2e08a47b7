"""Notebook execution (build layer): warm kernels, each reused for several reports, in worker threads.

A :class:`KernelWorker` owns one kernel. It starts it at once and imports the report package in it
(so the kernel's heavy imports overlap the driver's data validation), then runs one parameterised
notebook after another — of any report notebook — in that same kernel, clearing the namespace and
moving to the notebook's folder in between, so a reused kernel gives what a fresh one would. It keeps
one connected client for its kernel's whole life: a new client waits for the kernel's output channel to
stay quiet for 0.2 s before its first request, which would idle the kernel three times per report.
Every worker has its own kernel, ports and connection file; :meth:`KernelWorker.kill` ends the kernel
from any thread.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook
from papermill.parameterize import parameterize_notebook

KERNEL = "python3"
# Once per kernel, before any report: the heavy imports, the data (validated once, then cached while its
# files are unchanged) and matplotlib's fonts and renderer.
# Warnings are collected, not printed: printed ones would become stderr blocks in the notebook (with this
# machine's paths in them). The driver fetches them after each report and shows them as build messages.
WARM_UP = """\
import warnings
def _mcis_collector():
    log = []
    def collect(message, category, filename, lineno, file=None, line=None):
        text = f"{{category.__name__}}: {{message}}"
        if text not in log:
            log.append(text)
    collect.log = log
    return collect
warnings.showwarning = _mcis_collector()
del _mcis_collector
import matplotlib.pyplot as plt
import mcis_report.report
mcis_report.charts.set_theme()
plt.subplots()[0].savefig(__import__("io").BytesIO(), format="png")
plt.close("all")
{load}"""
# Before each report: a clean namespace, no open figure, and the notebook's folder as the working
# directory (where a fresh kernel for that notebook would start). Imported modules stay, with the data they
# cache. It clears what `%reset -f` clears (names, input and output history, the last outputs), without
# the two full garbage collections `%reset` runs, which took ~0.3 s per report with the package loaded.
RESET = """\
def _mcis_reset(shell, folder):
    hook, full = shell.displayhook, shell.displayhook.do_full_cache
    hook.do_full_cache = False  # skips the output-cache flush and its garbage collection...
    try:
        shell.reset(new_session=False)  # ... in here, which empties the namespace (this function too)
    finally:
        hook.do_full_cache = full
    hook._ = hook.__ = hook.___ = ""  # ... so the last outputs are dropped here
    shell.user_ns.update(_="", __="", ___="")
    __import__("matplotlib.pyplot").pyplot.close("all")
    __import__("os").chdir(folder)
_mcis_reset(get_ipython(), {folder!r})
"""
# Print and forget the warnings collected since the last call (one JSON list on stdout); clear the
# warning registries so that a reused kernel reports the same warnings as a fresh one.
COLLECT_WARNINGS = """\
import json as _json, sys as _sys, warnings as _warnings
_log = getattr(_warnings.showwarning, "log", [])
print(_json.dumps(_log))
_log.clear()
for _module in list(_sys.modules.values()):
    _registry = getattr(_module, "__warningregistry__", None)
    if isinstance(_registry, dict):
        _registry.clear()
del _json, _sys, _warnings, _log, _module, _registry
"""


def _end_kernel(km: Any) -> None:
    """Kill a kernel's process (if it has one yet) and remove its connection file."""
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    km.cleanup_connection_file()  # the kernel is gone: remove its connection file


@dataclass
class ExecutionFailure(Exception):
    """A cell failed or timed out: which one (index in the executed notebook), why, and that notebook."""

    cell: int | None
    ename: str
    evalue: str
    nb: object = None


class KernelWorker:
    """One kernel, reused for a sequence of notebooks, driven from one thread."""

    def __init__(self, cwd: Path, name: str, data_dir: Path | None = None, runtime_dir: Path | None = None):
        self.cwd = cwd
        #: Folder for the kernel's connection file (it holds the kernel's key); the build passes one inside its
        #: staging area, so a build killed with SIGKILL leaves it where the next build removes it.
        self.runtime_dir = runtime_dir
        self.name = name
        self.data_dir = data_dir
        self.km: Any = None  # jupyter_client AsyncKernelManager once started
        self.kc: Any = None  # its connected client, kept from the first run on (used by the worker's thread only)
        self._owner: int | None = None  # the thread that opened self.kc
        self._lock = threading.Lock()
        self.runs = 0
        self.warnings: list[str] = []

    # -- kernel lifetime ---------------------------------------------------------------------
    def _client(self, nb, timeout: int | None = None) -> NotebookClient:
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name=KERNEL,
            timeout=timeout,
            record_timing=False,
            resources={"metadata": {"path": str(self.cwd)}},
            allow_errors=False,
        )
        client.kc = self.kc  # None on the first run: nbclient connects one, which _run then keeps
        return client

    def start(self) -> None:
        """Start the kernel and import the report package in it."""
        from jupyter_client.manager import AsyncKernelManager

        self._close_client()  # a client of an earlier kernel of this worker's
        options = {}
        if self.runtime_dir is not None:
            import uuid

            self.runtime_dir.mkdir(parents=True, exist_ok=True)
            options["connection_file"] = str(self.runtime_dir / f"kernel-{uuid.uuid4().hex}.json")
        km = AsyncKernelManager(kernel_name=KERNEL, **options)
        with self._lock:
            self.km = km
        # The kernel's own start-up chatter (TCP warning, shutdown notices) is not build output.
        load = "" if self.data_dir is None else f"mcis_report.load_dataset({str(self.data_dir)!r})"
        try:
            self._run(
                new_notebook(cells=[new_code_cell(WARM_UP.format(load=load))]),
                stderr=subprocess.DEVNULL,
                env=kernel_environment(),
            )
        finally:
            with self._lock:
                orphaned = self.km is not km
            if orphaned:  # kill() ran while the kernel was starting, before its process existed: end it now
                _end_kernel(km)

    def _run(self, nb, timeout: int | None = None, **start_kwargs):
        client = self._client(nb, timeout)
        try:
            client.execute(**start_kwargs)
        finally:
            self._keep(client)
        return client.nb

    def _keep(self, client: NotebookClient) -> None:
        """Keep the client's connection for the next run (this thread's); drop nbclient's exit hook."""
        atexit.unregister(client._cleanup_kernel)
        if client.kc is not None and client.kc is not self.kc:
            with self._lock:
                alive = self.km is not None
                if alive:
                    self.kc, self._owner = client.kc, threading.get_ident()
            if not alive:  # killed meanwhile: nothing to keep
                client.kc.stop_channels()
        client.kc = None

    def _close_client(self) -> None:
        """Close the kept connection; only its own thread may (ZMQ sockets belong to one thread)."""
        with self._lock:
            kc = self.kc if self._owner == threading.get_ident() else None
            if kc is not None:
                self.kc = None
        if kc is not None:
            kc.stop_channels()

    def kill(self) -> None:
        """End the kernel now (safe from any thread; idempotent).

        Called from the worker's own thread, it also closes the worker's connection to the kernel.
        """
        with self._lock:
            km, self.km = self.km, None
        if km is not None:
            _end_kernel(km)
        self._close_client()

    # -- running reports ---------------------------------------------------------------------
    def run_notebook(self, notebook: Path, parameters: dict, timeout: int | None = None):
        """Execute ``notebook`` with ``parameters`` in this worker's kernel; return the executed notebook.

        Raises :class:`ExecutionFailure` (with the executed notebook as ``.nb``) when a cell fails.
        """
        if self.km is None:
            self.start()
        self._run(new_notebook(cells=[new_code_cell(RESET.format(folder=str(Path(notebook).resolve().parent)))]))
        self.runs += 1
        source = nbformat.read(notebook, as_version=4)
        for cell in source.cells:
            cell.metadata.setdefault("tags", [])  # papermill expects every cell to have tags
        source.metadata.setdefault("papermill", {})  # ... and the notebook a papermill section
        nb = parameterize_notebook(source, parameters, kernel_name=KERNEL, language="python")
        client = self._client(nb, timeout)
        self.warnings = []
        try:
            client.execute()
        except CellExecutionError as exc:
            self.warnings = self._collect_warnings()
            raise ExecutionFailure(_error_cell(client.nb), exc.ename, exc.evalue, client.nb) from None
        except (CellTimeoutError, DeadKernelError) as exc:
            timed_out = isinstance(exc, CellTimeoutError)
            reason = f"no result after {timeout} s" if timed_out else str(exc)
            failure = ExecutionFailure(_running_cell(client), type(exc).__name__, reason, client.nb)
            self.kill()  # the kernel is stuck or gone: the next report gets a fresh one
            _cancel_pending_tasks()
            raise failure from None
        finally:
            self._keep(client)
        self.warnings = self._collect_warnings()
        return client.nb

    def _collect_warnings(self) -> list[str]:
        """The warnings the last report raised in the kernel (empty if they cannot be read)."""
        import json

        if self.km is None:
            return []
        try:
            nb = self._run(new_notebook(cells=[new_code_cell(COLLECT_WARNINGS)]), timeout=60)
            text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
            found = json.loads(text or "[]")
        except (CellExecutionError, CellTimeoutError, DeadKernelError, ValueError):
            return []
        return [str(w) for w in found] if isinstance(found, list) else []


#: One thread for the numeric libraries of a kernel (unless the environment says otherwise): the build runs
#: one kernel per CPU, so a BLAS thread pool per kernel could only compete for the same CPUs, for arrays
#: too small to gain from threads.
KERNEL_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def kernel_environment() -> dict[str, str]:
    """Environment of a build kernel: ours, with matplotlib drawing off-screen (Agg).

    The backend is chosen here, for the build's kernels only, so that importing the package never
    switches the backend of a user's own session. Numeric libraries get one thread each
    (:data:`KERNEL_THREADS`) unless the environment already sets their thread counts.
    """
    return {**KERNEL_THREADS, **os.environ, "MPLBACKEND": "Agg"}


def _cancel_pending_tasks() -> None:
    """End the tasks nbclient leaves behind on this thread's event loop after a timeout.

    Left pending, they are destroyed at exit and asyncio prints "Task was destroyed but it is pending!".
    """
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running():
        return
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


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
