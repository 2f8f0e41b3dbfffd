"""Pages rendered on a Dask distributed cluster (``--cluster tcp://host:8786``).

Re-rendering or verifying years of editions needs more machines than one. Dask
distributed runs Python functions on workers over the network, which is what a page
task is: no data frames, no schedule of its own to learn. It is an optional extra
(``bash setup.sh --cluster``), imported only when ``--cluster`` is given.

The submitting process keeps all that writes: the edition lock, the cache, staging and
publication. A task is pure: a snapshot of a page's inputs in (the archive's: archive
name → bytes), bytes out; a worker writes nothing to the output folder. A worker must
set pages exactly as this machine does, so before any task each one is checked for
the same paiban files (code, templates, styles, house styles, font lock), the same
versions of paiban, WeasyPrint, Pango and HarfBuzz, the same font faces and CMYK
profile; and every task checks its worker again, since a worker may join later.
"""

import functools
import uuid

from .errors import PaibanError

CONNECT_SECONDS = 10
SHOWN = 3  # differences named per worker
SETUP_FIX = ("set the worker up as this machine is (the same paiban checkout, then "
             "`bash setup.sh --cluster`), or stop it")


class ClusterError(PaibanError):
    """The cluster cannot do the work as this machine would: a fault of the machines,
    not of the input."""
    exit_status = 1


@functools.cache
def fingerprint():
    """What decides the bytes of a page, on this machine, by name: versions, paiban's
    own files by checksum, each font role's face by checksum, the default CMYK
    profile."""
    from .archive import revision
    from .cache import code_files
    from .files import sha256_of
    from .fonts import ROOT, extract, read_lock
    from .printing import DEFAULT_PROFILE

    def face(role):
        try:
            return sha256_of(extract(role))
        except (PaibanError, OSError) as error:
            return f"unusable ({getattr(error, 'message', error)})"
    roles, _ = read_lock()
    return (revision.versions()
            | {f"file {path.relative_to(ROOT).as_posix()}": sha256_of(path)
               for path in code_files()}
            | {f"font {name}": face(role) for name, role in roles.items()}
            | {"cmyk profile": sha256_of(DEFAULT_PROFILE) if DEFAULT_PROFILE.is_file()
               else "missing"})


def differences(here, there):
    """What differs between two fingerprints, one phrase each: what it is there,
    and here."""
    return [f"{name} {shown(there.get(name))} (here {shown(here.get(name))})"
            for name in sorted(here.keys() | there.keys()) if here.get(name) != there.get(name)]


def shown(value):
    """A version as it is, a checksum by its first digits."""
    if value is None:
        return "absent"
    return value[:12] + "…" if len(value) == 64 and value.isalnum() else value


def refusal(worker, found):
    more = f"; and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return ClusterError(f"worker {worker} would set pages differently from this machine: "
                        + "; ".join(found[:SHOWN]) + more, fix=SETUP_FIX)


@functools.cache
def worker_fonts():
    from .fonts import Fonts
    return Fonts()


def on_worker(wanted, function, *args):
    """A task: check this worker against the submitting machine's fingerprint, then
    ``function(*args, fonts)`` with the fonts this worker keeps loaded."""
    found = differences(wanted, fingerprint())
    if found:
        from distributed import get_worker
        raise refusal(get_worker().address, found)
    return function(*args, worker_fonts())


class Cluster:
    """A connection to a checked cluster: tasks as concurrent.futures futures."""

    def __init__(self, client):
        self.client = client
        self.wanted = fingerprint()
        self.executor = client.get_executor(pure=False)

    def check_workers(self):
        """Refuse the cluster if any worker differs from this machine, or none is there."""
        found = self.client.run(fingerprint)
        if not found:
            raise ClusterError("the cluster has no workers", self.client.scheduler.address,
                               fix="start some: dask worker " + self.client.scheduler.address)
        for worker, theirs in sorted(found.items()):
            different = differences(self.wanted, theirs)
            if different:
                raise refusal(worker, different)

    def submit(self, function, *args, name=None):
        """Run ``function(*args, fonts)`` on a worker; a concurrent.futures Future.
        The task's key starts with ``name`` (else the function's), as the scheduler's
        dashboard and task stream show it."""
        return self.executor.submit(on_worker, self.wanted, function, *args,
                                    key=f"{name or function.__name__}-{uuid.uuid4().hex}")

    def map(self, function, argument_lists):
        """``function(*arguments, fonts)`` for each, on the workers; results in order.
        On a failure (or Ctrl-C) the tasks not yet done are cancelled."""
        futures = [self.submit(function, *arguments) for arguments in argument_lists]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def close(self):
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()


def connect(address):
    """A connection to the scheduler at ``address``, its workers checked."""
    try:
        from distributed import Client
        from distributed.comm.addressing import get_address_host_port
    except ImportError:
        raise PaibanError("--cluster needs Dask distributed, which is not installed",
                          fix="install the extra: bash setup.sh --cluster") from None
    fix = "start it (dask scheduler) and give its address, e.g. --cluster tcp://host:8786"
    try:
        host, _ = get_address_host_port(address)
    except ValueError as error:
        raise PaibanError(f"not a scheduler's address: {str(error)[:120]}", address,
                          fix=fix) from None
    if not host:
        raise PaibanError("not a scheduler's address: no host", address, fix=fix)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler: {str(error)[:120]}", address,
                           fix=fix) from None
    cluster = Cluster(client)
    try:
        cluster.check_workers()
    except BaseException:
        cluster.close()
        raise
    return cluster
