"""Running a coroutine from a synchronous test."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_alone(coroutine):
    """In a thread of its own: a Playwright test earlier in this worker may leave a loop running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
