"""podman-py's client as a peer: N `_ping` requests through PodmanClient.ping(), sequential or from
threads sharing one client, printed as one JSON line like podstack-bench's.

    podman_py_ping.py SOCKET_PATH COUNT CONCURRENCY [WARMUP]

Each thread sends WARMUP pings (default 20) before the clock starts, as the other contenders do.
"""
import json
import sys
import threading
import time

from podman import PodmanClient


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 64
    path = sys.argv[1].removeprefix("unix://")
    count, threads = int(sys.argv[2]), int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    client = PodmanClient(base_url="unix://" + path)
    shares = [count // threads + (1 if t < count % threads else 0) for t in range(threads)]
    barrier = threading.Barrier(threads + 1)
    failures = []

    def run(share: int) -> None:
        try:
            for _ in range(warmup):
                if not client.ping():
                    raise RuntimeError("ping answered false")
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        barrier.wait()
        barrier.wait()
        try:
            for _ in range(share):
                if not client.ping():
                    raise RuntimeError("ping answered false")
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    workers = [threading.Thread(target=run, args=(share,)) for share in shares]
    for worker in workers:
        worker.start()
    barrier.wait()
    start = time.monotonic()
    barrier.wait()
    for worker in workers:
        worker.join()
    seconds = time.monotonic() - start
    if failures:
        print(f"podman_py_ping: {failures[0]!r}", file=sys.stderr)
        return 1
    print(json.dumps({"requests": count, "seconds": round(seconds, 6), "rate": round(count / seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
