"""Progress for long work on stderr: a rich bar on a terminal, periodic lines in logs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")
stderr = Console(stderr=True, soft_wrap=True)


def track(items: Iterable[T], total: int | None, label: str, threshold: int = 3,
          weight: Callable[[T], int] | None = None) -> Iterator[T]:
    """Yield items, showing a bar when there are more than `threshold` of them (each counting
    `weight(item)`, 1 by default)."""
    if total is None or total <= threshold:
        yield from items
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=False) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task, weight(item) if weight else 1)


BYTES_THRESHOLD = 200_000


@contextmanager
def text_progress(total_chars: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A bar in characters of text, for work dominated by a few large documents (None when small).

    `total_chars` may be an estimate (file sizes in bytes): work that ends without error shows as
    complete. When stderr is not a terminal (a log file, a CI job) the bar becomes a line every
    KG_PROGRESS_SECONDS (default 30) and one at the end."""
    if total_chars <= BYTES_THRESHOLD:
        yield None
        return
    if not stderr.is_terminal:
        yield from _progress_lines(total_chars, label)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(binary_units=False),
               TimeRemainingColumn())
    with Progress(*columns, console=stderr) as progress:
        task = progress.add_task(label, total=total_chars)
        yield lambda n: progress.advance(task, n)
        progress.update(task, completed=total_chars)


def _progress_lines(total: int, label: str) -> Iterator[Callable[[int], None]]:
    interval = float(os.environ.get("KG_PROGRESS_SECONDS") or 30)
    started = last = time.monotonic()
    done = 0

    def line(now: float) -> str:
        elapsed, shown = now - started, min(done, total)
        left = elapsed * (total - shown) / shown if shown else 0
        return (f"{label}: {decimal(shown)} of {decimal(total)} ({100 * shown // total}%), "
                f"{elapsed:.0f} s elapsed, about {left:.0f} s left")

    def advance(n: int) -> None:
        nonlocal done, last
        done += n
        now = time.monotonic()
        if now - last >= interval:
            last = now
            stderr.print(line(now), highlight=False, markup=False)

    yield advance
    done = total
    stderr.print(line(time.monotonic()), highlight=False, markup=False)
