"""Progress display for long work: a rich progress bar on stderr when there is enough to wait for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
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


def track(items: Iterable[T], total: int | None, label: str, threshold: int = 3) -> Iterator[T]:
    """Yield items, showing a bar when there are more than `threshold` of them."""
    if total is None or total <= threshold:
        yield from items
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=False) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


BYTES_THRESHOLD = 200_000


@contextmanager
def text_progress(total_chars: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A bar in characters of text, for work dominated by a few large documents (None when small)."""
    if total_chars <= BYTES_THRESHOLD:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(binary_units=False),
               TimeRemainingColumn())
    with Progress(*columns, console=stderr) as progress:
        task = progress.add_task(label, total=total_chars)
        yield lambda n: progress.advance(task, n)
