"""Helpers for the tests of hlsp.events: products, a running `hlsp watch`, waits on events."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from hlsp.engine import Options, validate_file

EXAMPLE = Path(__file__).resolve().parents[2] / "contributions" / "example"
IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
CAT = "hlsp_example_hst_acs_ngc1234_f606w_v1_cat.fits"
LC = "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"
HLSP = str(Path(sys.executable).parent / "hlsp")
# A guard against a hung run, never a wait for something to happen: every wait
# below returns as soon as what it waits for is seen.
GUARD = 600


def example_bytes(name: str = IMG) -> bytes:
    return (EXAMPLE / name).read_bytes()


def local_findings(tmp_path: Path, name: str, data: bytes) -> list[dict]:
    """What `hlsp validate` finds in these bytes on local disk (the reference)."""
    folder = tmp_path / "local"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return validate_file(str(path), Options()).to_dict()["findings"]


def env_for(server, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HLSP_EXPECT_"))}
    env.update(server.env())
    env.update(extra)
    return env


def keys(client, bucket: str, prefix: str = "") -> list[str]:
    out, token = [], None
    while True:
        kw = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kw["ContinuationToken"] = token
        page = client.list_objects_v2(**kw)
        out += [o["Key"] for o in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        if not token:
            return sorted(out)


def reports(client, bucket: str, prefix: str = "") -> list[str]:
    return [k for k in keys(client, bucket, prefix) if k.endswith(".hlsp-report.json")]


def read_json(client, bucket: str, key: str) -> dict:
    return json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())


class Watch:
    """A running `hlsp watch` process; its stdout and stderr lines arrive on queues."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen(
            [HLSP, "watch", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.out: queue.Queue = queue.Queue()
        self.err: queue.Queue = queue.Queue()
        self.err_lines: list[str] = []
        self.err_done = False
        for stream, q in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, q), daemon=True).start()

    @staticmethod
    def _pump(stream, q) -> None:
        for line in stream:
            q.put(line)
        q.put(None)

    def err_json(self) -> dict:
        """The next JSON line on stderr (blocks until it comes)."""
        line = self.err.get(timeout=GUARD)
        self.err_done = line is None
        assert line is not None, f"hlsp watch ended: {self.err_lines}"
        self.err_lines.append(line)
        return json.loads(line)

    def listening(self) -> str:
        return self.err_json()["listening"]

    def lines(self, n: int) -> list[dict]:
        """The next ``n`` JSON lines on stdout (blocks until they come)."""
        got = []
        while len(got) < n:
            line = self.out.get(timeout=GUARD)
            assert line is not None, f"hlsp watch ended after {len(got)} of {n} lines: {self.drain_err()}"
            got.append(json.loads(line))
        return got

    def drain_err(self) -> list[str]:
        """Every stderr line so far; all of them once the process has ended."""
        ended = self.proc.poll() is not None
        while not self.err_done:
            try:
                line = self.err.get(timeout=GUARD) if ended else self.err.get_nowait()
            except queue.Empty:
                break
            if line is None:
                self.err_done = True
            else:
                self.err_lines.append(line)
        return self.err_lines

    def stop(self) -> tuple[int, list[dict]]:
        """SIGTERM; (exit status, the stdout lines that came after the last read)."""
        self.proc.terminate()
        code = self.proc.wait(timeout=GUARD)
        rest = []
        while (line := self.out.get(timeout=GUARD)) is not None:
            rest.append(json.loads(line))
        return code, rest

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def connected_to(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds an established TCP connection to 127.0.0.1:``port``."""
    inodes = socket_inodes(pid)
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        remote_port = int(f[2].split(":")[1], 16)
        if remote_port == port and f[3] == "01" and f[9] in inodes:
            return True
    return False


def wait_for(predicate, what: str, every: float = 0.05):
    """Poll ``predicate`` (a cheap check of state, not of time) until it holds."""
    deadline = time.monotonic() + GUARD
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(every)
    return result
