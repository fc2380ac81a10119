"""Work on an uploaded file in a child process that is killed when it takes too long.

A file is read by code that trusts it more than it should (openpyxl walks a sheet's declared
dimension; a JSON nests; an XLSForm holds 10,000 questions): run on the event loop or in a
server thread, one hostile upload held that thread for minutes and forty exhausted the pool.
Here each parse runs in a fresh interpreter (``python -m consult.web.plumbing.offload``) that imports
only the reading code (a few MB, ~0.3 s), lowers its own priority and caps its memory; the
event loop awaits its answer on a pipe, without a thread, and kills it at the deadline. A
server worker runs at most ``PARALLEL`` parses at a time (others wait for a slot, within the
same deadline), so respondents' pages keep their share of the machine whatever is uploaded.

A fresh interpreter rather than multiprocessing: a forked or fork-served child re-imports the
server's main module (the whole app, 240 MB) and inherits its threads.
"""

import asyncio
import os
import pickle
import resource
import sys
import weakref
from collections.abc import Callable
from typing import Any

SECONDS = 20.0  # longest parse of one upload; a 500-question XLSForm takes about 1 s
MEMORY_BYTES = 512 * 1024 * 1024  # address space of the child (its RSS stays near 60 MB)
PARALLEL = 1  # parses at a time per server worker: the other core answers respondents

_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


class TooLong(Exception):
    """The parse did not finish within its deadline (or found no free slot in it)."""


class TooBig(Exception):
    """The parse needed more memory than its ceiling."""


async def run_limited(
    func: Callable, *args: Any, seconds: float = SECONDS, memory_bytes: int = MEMORY_BYTES
) -> Any:
    """``func(*args)`` in a child process: its result, or TooLong / TooBig / its exception.

    ``func`` must be a module-level function of an importable module; arguments and result
    must pickle."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    slots = _slots.setdefault(loop, asyncio.Semaphore(PARALLEL))
    try:
        await asyncio.wait_for(slots.acquire(), seconds)
    except TimeoutError:
        raise TooLong() from None
    try:
        return await _run(func, args, max(deadline - loop.time(), 0.5), memory_bytes)
    finally:
        slots.release()


async def _run(func: Callable, args: tuple, seconds: float, memory_bytes: int) -> Any:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        str(memory_bytes),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        output, _ = await asyncio.wait_for(
            child.communicate(pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)),
            seconds,
        )
    except TimeoutError:
        raise TooLong() from None
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    try:
        status, value = pickle.loads(output)
    except (EOFError, pickle.UnpicklingError):  # died without answering: the memory ceiling
        raise TooBig() from None
    if status == "memory":
        raise TooBig()
    if status == "error":
        raise value
    return value


def _child_main(memory_bytes: int) -> None:
    os.nice(10)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    out = sys.stdout.buffer
    try:
        func, args = pickle.load(sys.stdin.buffer)
        outcome = ("ok", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # given back to the parent, which raises it again
        outcome = ("error", exc)
    try:
        out.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        out.write(pickle.dumps(("memory", None)))
    out.flush()


if __name__ == "__main__":
    _child_main(int(sys.argv[1]))
