"""All-question summary of a generated campaign, cold then warm, with peak memory.

Run in its own process (`python -m bench.summaries URL SLUG`) so that "cold" really starts
from nothing and the peak resident memory is this measurement's alone. Prints one JSON line.
"""

import json
import resource
import sys
import time
from pathlib import Path

from sqlmodel import Session

from consult.db import make_engine
from surveys.results import filter_results, find_campaign, load_results, summaries_of


def all_summaries(session: Session, slug: str) -> int:
    data = load_results(session, [find_campaign(session, slug)])
    return len(summaries_of(data, filter_results(data, {})))


def peak_resident_mb() -> float:
    """This process's own peak: ru_maxrss would also count the memory of the parent that
    forked it (the bench holds a million generated answers), as Linux carries it over exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(url: str, slug: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        start, cpu = time.perf_counter(), time.process_time()
        count = all_summaries(session, slug)
        cold = time.perf_counter() - start
        # On a shared machine the wall time also counts other processes' turns; the CPU
        # time of this one (all its threads) does not.
        cold_cpu = time.process_time() - cpu
        warm_times = []
        for _ in range(5):
            start = time.perf_counter()
            all_summaries(session, slug)
            warm_times.append(time.perf_counter() - start)
    engine.dispose()
    peak_mb = peak_resident_mb()
    print(
        json.dumps(
            {
                "cold_s": cold,
                "cold_cpu_s": cold_cpu,
                "warm_s": min(warm_times),
                "peak_mb": peak_mb,
                "variables": count,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
