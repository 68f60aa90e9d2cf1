"""Whoosh's two-process writer, with workers that cannot outlive the build, that
write their segment's bigram file themselves, and that do not start as copies of the
build process.

``MpWriter`` forks worker processes that block on a job queue.  If the build is killed
with ``kill -9`` they would wait forever, holding the deleted generation's files and the
caller's pipes.  Each worker here first arms ``faults.die_with_parent``.

A forked worker starts as a copy of the build process, which by then holds every parsed
report: at 300k paragraphs the two workers' resident memory (what the kernel counts
against the machine's limits; shared pages count in each) was 1.3 GB of a 1.8 GB peak
without their writing doing anything with those pages.  So workers come from
multiprocessing's *fork server*: a small process started from a fresh interpreter with
only this module imported, whose forks share nothing else of the build.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from multiprocessing import spawn
from pathlib import Path

from whoosh.multiproc import MpWriter, SubWriterTask

from ..faults import die_with_ancestor, die_with_parent
from ..fold import fold
from . import grams
from .writer import tune_whoosh

_LAUNCH = threading.Lock()  # one worker start at a time changes spawn's function


def worker_context() -> multiprocessing.context.BaseContext:
    """The fork server's context (whoosh and this module imported once, in it)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # only read when the server starts
    return context


class ParentBoundTask(SubWriterTask):
    """A sub-writer that also writes its segment's ``.grams`` file (``exact``): it sees
    every document it adds, in docnum order, so the parent need not hold, fork or read
    back anything for it — and the two files are written by both workers at once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()
        self.folded: list[str] | None = None

    @staticmethod
    def _Popen(process_obj):  # noqa: N802 (multiprocessing's name)
        """Start the worker from the fork server, without the caller's main module.

        multiprocessing would import ``__main__`` again in each worker; a script that
        calls ``build_index`` at its top level (no ``if __name__ == "__main__"``) would
        then build again in every worker, waiting for the lock its own build holds.
        A worker needs nothing of the main module, so it is left out of what the
        worker prepares (``spawn.get_preparation_data``, replaced for this call only).
        """
        with _LAUNCH:
            original = spawn.get_preparation_data

            def without_main(name: str) -> dict:
                data = original(name)
                data.pop("init_main_from_path", None)
                data.pop("init_main_from_name", None)
                return data

            spawn.get_preparation_data = without_main
            try:
                return worker_context().Process._Popen(process_obj)
            finally:
                spawn.get_preparation_data = original

    def run(self) -> None:
        # The parent is the fork server.  It outlives the build while any of its
        # children holds its pipe (multiprocessing gives them one), so each worker also
        # watches the build process and ends with it; then the server ends too.
        die_with_parent(os.getppid())
        die_with_ancestor(self.parent_pid)
        tune_whoosh()  # the server's interpreter never ran the build's tuning
        super().run()

    def _process_file(self, filename, doc_count) -> None:
        writer = self.writer
        if self.folded is None:
            self.folded = []
            finalize = writer._finalize_segment

            def finalize_with_grams():
                segment = finalize()
                folder = Path(self.storage.folder)
                grams.write(grams.grams_path(folder, segment.segment_id()), self.folded)
                return segment

            writer._finalize_segment = finalize_with_grams
        temp = writer.temp_storage()
        with temp.open_file(filename).raw_file() as fh:
            for _ in range(doc_count):
                code, args = pickle.load(fh)
                if code != 0:
                    raise ValueError(f"unknown job code {code} in {filename}")
                writer.add_document(**args)
                self.folded.append(fold(args.get("text", "")))
        temp.delete_file(filename)


class ParentBoundWriter(MpWriter):
    """``MpWriter`` whose worker processes come from the fork server and die with the
    process that started them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        context = worker_context()  # queues a fork server's child can open
        self.jobqueue = context.Queue(self.procs * 4)
        self.resultqueue = context.Queue()

    def _new_task(self) -> SubWriterTask:
        task = ParentBoundTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def stop_workers(self) -> None:
        """Kill the workers and let this process exit without flushing their queues.

        A job queue nobody reads any more would otherwise block interpreter exit: its
        feeder thread waits forever to write into a pipe of a dead worker.
        """
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join(timeout=5)
            if task.is_alive():
                task.kill()
                task.join()
        for queue in (self.jobqueue, self.resultqueue):
            queue.cancel_join_thread()
            queue.close()
