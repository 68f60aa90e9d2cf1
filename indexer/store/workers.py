"""Whoosh's two-process writer, with workers that cannot outlive the build.

``MpWriter`` forks worker processes that block on a job queue.  If the build is killed
with ``kill -9`` they would wait forever, holding the deleted generation's files and the
caller's pipes.  Each worker here first arms ``faults.die_with_parent``.
"""

from __future__ import annotations

import os

from whoosh.multiproc import MpWriter, SubWriterTask

from ..faults import die_with_parent


class ParentBoundTask(SubWriterTask):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        die_with_parent(self.parent_pid)
        super().run()


class ParentBoundWriter(MpWriter):
    """``MpWriter`` whose worker processes die with the process that started them."""

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
