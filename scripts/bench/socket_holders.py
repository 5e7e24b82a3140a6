"""A busy host for the preflight benchmark: PROCESSES processes, each listening on PER_PROCESS TCP sockets
on 127.0.0.1 (ephemeral ports), plus this process holding HOLD_PORT, the port the stack wants.

    socket_holders.py PROCESSES PER_PROCESS HOLD_PORT READY_FILE

Writes READY_FILE once every socket listens; on SIGTERM or SIGINT ends every child and exits.
The children die with it (PR_SET_PDEATHSIG), so nothing outlives a killed bench.
"""
import ctypes
import os
import signal
import socket
import sys


def listen(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(8)
    return sock


def child(per_process: int, report: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    held = [listen(0) for _ in range(per_process)]
    os.write(report, b"1")
    os.close(report)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        signal.pause()
    del held


def main() -> int:
    processes, per_process, hold_port, ready_file = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    holder = listen(hold_port)
    read_end, write_end = os.pipe()
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                child(per_process, write_end)
            finally:
                os._exit(1)
        children.append(pid)
    os.close(write_end)
    got = 0
    while got < processes:
        chunk = os.read(read_end, processes)
        if not chunk:
            break
        got += len(chunk)
    if got < processes:
        print(f"socket_holders: only {got} of {processes} children listened", file=sys.stderr)

    def stop(*_):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        holder.close()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(ready_file, "w", encoding="utf-8") as ready:
        ready.write(f"{got * per_process + 1}\n")
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
