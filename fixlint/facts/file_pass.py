"""The per-file pass: bytes -> facts, once per content. Facts come from memory, from the disk
cache, or from parsing; many files to parse are spread over processes, with the same results
as one process would give."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Optional

from fixlint.facts.model import FileFacts
from fixlint.facts.reader import read_facts
from fixlint.facts.store import FactsCache, facts_digest, facts_from_plain, facts_text
from fixlint.files.cache_dir import content_key
from fixlint.files.source_text import STOP_SIGNALS, stops_deferred

# Below this many files per worker, starting processes costs more than it saves.
FILES_PER_WORKER = 8
BATCH = 1024  # files whose sources are held at once
PARENT_POLL_SECONDS = 0.5
Progress = Callable[[int, int], None]  # (files done, files to do)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(parent: int) -> None:
    """A worker stops at once and quietly on Ctrl-C or SIGTERM (the parent reports the stop), and
    ends when the fixlint process that started it is gone: killed (SIGKILL leaves it no time to
    shut its pool down), its workers would otherwise wait for work for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    for stop in STOP_SIGNALS:
        signal.signal(stop, _stop_quietly)
    if hasattr(signal, "pthread_sigmask"):  # forked inside ``stops_deferred``: a stop sent since comes now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    threading.Thread(target=watch, daemon=True).start()


def _stop_quietly(signum: int, frame: object) -> None:
    os._exit(128 + signum)


def _extract(item: tuple[str, bytes, bool, bool]) -> str:
    return facts_text(read_facts(*item))


class FilePass:
    def __init__(self, cache: Optional[FactsCache] = None, jobs: int = 1, progress: Optional[Progress] = None) -> None:
        self.cache = cache
        self.jobs = max(jobs, 1)
        self.progress = progress
        # Which files get their function bodies and their reads of top-level names read
        # (``read_facts``): set by the run, from its rules.
        self.function_bodies: Callable[[Path], bool] = lambda path: True
        self.globals_read: Callable[[Path], bool] = lambda path: True
        self._memory: dict[str, FileFacts] = {}
        self._digests: dict[str, str] = {}  # of the facts, by the key of the file
        self._pool: Optional[ProcessPoolExecutor] = None  # kept between prefetches inside ``workers``
        self._keep_pool = False

    def key(self, path: Path, data: bytes) -> str:
        # Facts name their file, and depend on what of it is read.
        reading = bytes([self.function_bodies(path), self.globals_read(path)])
        return content_key(str(path).encode() + b"\0" + reading + data)

    def facts(self, path: Path, data: bytes) -> FileFacts:
        key = self.key(path, data)
        found = self._known(key)
        if found is None:
            found = self._store(key, _extract((str(path), data, self.function_bodies(path), self.globals_read(path))))
        return found

    def digest(self, path: Path, data: bytes) -> str:
        """The digest of the file's facts: equal digests, equal facts."""
        key = self.key(path, data)
        if key not in self._digests:
            self.facts(path, data)
        return self._digests[key]

    @contextlib.contextmanager
    def workers(self) -> Iterator[None]:
        """The processes a prefetch starts serve every prefetch inside the block: started while
        the run holds little, they are not forked again from a process holding a project (a fork
        shares, then copies, its memory)."""
        self._keep_pool = True
        try:
            yield
        finally:
            self._keep_pool = False
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None

    def prefetch(self, paths: Sequence[Path], read: Callable[[Path], bytes], parallel: bool = True) -> None:
        """Compute the facts of many files at once: in parallel when there are enough to parse
        (and ``parallel``), a batch at a time, so that only one batch of sources is held at once.
        A file that cannot be read is left for the project pass to report."""
        pool = self._pool
        done = 0

        def count(files: int) -> None:
            nonlocal done
            done += files
            if self.progress is not None:
                self.progress(done, len(paths))

        try:
            batch: list[tuple[str, str, bytes]] = []
            for path in paths:
                try:
                    data = read(path)
                except OSError:
                    count(1)
                    continue
                key = self.key(path, data)
                if self._known(key) is None:
                    batch.append((key, str(path), data))
                else:
                    count(1)
                if len(batch) == BATCH:
                    pool = self._parse(batch, pool, count, parallel)
                    batch = []
            if batch:
                pool = self._parse(batch, pool, count, parallel)
        finally:
            if self._keep_pool:
                self._pool = pool
            elif pool is not None:
                pool.shutdown(cancel_futures=True)  # stopped early: no waiting for queued files

    def _parse(
        self,
        batch: list[tuple[str, str, bytes]],
        pool: Optional[ProcessPoolExecutor],
        count: Callable[[int], None],
        parallel: bool,
    ) -> Optional[ProcessPoolExecutor]:
        work = [
            (path, data, self.function_bodies(Path(path)), self.globals_read(Path(path))) for _, path, data in batch
        ]
        workers = min(self.jobs, len(batch) // FILES_PER_WORKER) if parallel else 1
        if parallel and (workers > 1 or pool is not None):
            pool = pool or ProcessPoolExecutor(
                max_workers=self.jobs, initializer=_start_worker, initargs=(os.getpid(),)
            )
            # Workers are forked here: a stop arriving mid-fork would be lost in the fork's
            # handlers, in the parent ("Exception ignored") or in a worker not yet set up.
            with stops_deferred():
                results = pool.map(_extract, work, chunksize=max(1, len(work) // (self.jobs * 8)))
        else:
            results = map(_extract, work)
        for (key, _, _), text in zip(batch, results):
            self._store(key, text)
            count(1)
        return pool

    def _known(self, key: str) -> Optional[FileFacts]:
        found = self._memory.get(key)
        if found is None and self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                found, self._digests[key] = cached
                self._memory[key] = found
        return found

    def _store(self, key: str, text: str) -> FileFacts:
        """Keep a file's facts, given as the JSON text of their plain form: the cache writes that
        text, and the facts kept in memory are read from it, as from the cache (see ``fixlint.facts``)."""
        digest = self._digests[key] = facts_digest(text)
        if self.cache is not None:
            self.cache.put(key, text, digest)
        facts = self._memory[key] = facts_from_plain(json.loads(text))
        return facts
