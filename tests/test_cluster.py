"""`--cluster`: pages rendered on the workers of a Dask scheduler, here a LocalCluster
of two worker processes started by the tests, give the same PDFs, report and cache
as a local build; a worker that would set pages differently is refused; archive and
verify run their rebuilds there too."""

import json
import shutil
import time
from concurrent.futures import Future

import pytest
from conftest import SAMPLE_EDITION

from paiban import build
from paiban.cli import main
from paiban.source import parse_edition

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """A scheduler with two worker processes, one thread each, like two machines."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def sample(tmp_path):
    copy = tmp_path / "source" / SAMPLE_EDITION.name
    shutil.copytree(SAMPLE_EDITION, copy)
    return copy


def files_of(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def without_timing(report, out):
    """build.json with its seconds left out and its output folder named alike."""
    report = json.loads(json.dumps(report).replace(str(out), "OUT"))
    for page in report["pages"]:
        page.pop("seconds")
    return report


def not_here(*args, **kwargs):
    raise AssertionError("a page was rendered in the submitting process")


@pytest.mark.parametrize("output", [[], ["--print", "--marks"]], ids=["proof", "print"])
def test_a_cluster_build_gives_the_local_build_byte_for_byte(scheduler, sample, tmp_path,
                                                            monkeypatch, capsys, output):
    """(The sample's print build refuses a photo of too low a resolution: both
    builds say so, and make the other pages' plates alike.)"""
    local, remote = tmp_path / "local", tmp_path / "cluster"
    status = main(["build", *output, str(sample), "-o", str(local), "-j", "1"])
    monkeypatch.setattr(build, "page_pdf", not_here)  # the workers are other processes
    assert main(["build", *output, str(sample), "-o", str(remote),
                 "--cluster", scheduler]) == status
    ours, theirs = files_of(local / sample.name), files_of(remote / sample.name)
    pdfs = [name for name in ours if name.endswith(".pdf")]
    assert pdfs and set(ours) == set(theirs)
    for name in pdfs:
        assert ours[name] == theirs[name], name
    report = next(name for name in ours if name.endswith("build.json"))
    assert without_timing(json.loads(ours[report]), local) == \
        without_timing(json.loads(theirs[report]), remote)
    capsys.readouterr()
    # the same cache: what the cluster built is not built again, here or there
    assert main(["build", *output, str(sample), "-o", str(remote),
                 "--cluster", scheduler]) == status
    monkeypatch.undo()  # a page that failed is made again, here
    assert main(["build", *output, str(sample), "-o", str(remote), "-j", "1"]) == status
    report = json.loads((remote / sample.name / report).read_text(encoding="utf-8"))
    made = [page for page in report["pages"] if page["pdf"]]
    assert len(made) == len(pdfs) - (not output) and all(page["cached"] for page in made)
    assert "cached" in capsys.readouterr().out


def report_pango(version):
    """On a worker: report this Pango version instead of the loaded one; None: the
    loaded one again."""
    from paiban import cluster
    from paiban.archive import revision
    real = getattr(revision.versions, "real", revision.versions)
    revision.versions = real
    if version:
        revision.versions = lambda: real() | {"pango": version}
        revision.versions.real = real
    cluster.fingerprint.cache_clear()


def executing(dask_worker):
    return len(dask_worker.state.executing)


def report_own_pango(client):
    """Every worker reports its own Pango again, once no task runs (a cancelled one
    too) that could keep the pretended one."""
    while any(client.run(executing).values()):
        time.sleep(0.1)
    client.run(report_pango, None)


@pytest.fixture
def odd_worker(scheduler):
    """One worker of the cluster that says it has Pango 1.52.0."""
    with distributed.Client(scheduler) as client:
        worker = min(client.scheduler_info()["workers"])
        client.run(report_pango, "1.52.0", workers=[worker])
        try:
            yield worker
        finally:
            report_own_pango(client)


def test_a_worker_with_another_pango_is_refused_naming_it(scheduler, odd_worker, sample,
                                                         tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(sample), "-o", str(out), "--cluster", scheduler]) == 1
    error = capsys.readouterr().err
    assert f"worker {odd_worker} would set pages differently" in error
    assert "pango 1.52.0 (here 1.50.12)" in error and "fix:" in error
    assert "Traceback" not in error
    assert not list(out.rglob("*.pdf"))


def test_a_worker_that_changes_after_the_check_is_refused_by_its_task(scheduler, sample,
                                                                      tmp_path, fonts):
    from paiban.cluster import ClusterError, connect
    with connect(scheduler) as cluster:
        cluster.client.run(report_pango, "1.52.0")
        try:
            with pytest.raises(ClusterError, match=r"pango 1\.52\.0 \(here 1\.50\.12\)"):
                build.build_edition(parse_edition(sample), fonts, tmp_path / "out",
                                    cluster=cluster)
        finally:
            report_own_pango(cluster.client)
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_archive_and_verify_on_the_cluster(scheduler, sample, tmp_path, capsys):
    local, remote = tmp_path / "archive-local", tmp_path / "archive-cluster"
    assert main(["archive", str(sample), "--root", str(local)]) == 0
    assert main(["archive", str(sample), "--root", str(remote), "--cluster", scheduler]) == 0
    revision = next(remote.glob("*/*/r1"))
    assert files_of(next(local.glob("*/*/r1"))) == files_of(revision)
    capsys.readouterr()
    assert main(["verify", str(revision), "--cluster", scheduler]) == 0
    out = capsys.readouterr().out
    assert out.count("byte-identical") == len(parse_edition(sample).pages)
    assert out.rstrip().endswith("ok")


def computed(stream, page):
    """(start, stop) of the computation of the task that made ``page``."""
    name = f"page {page.path.parent.name}/{page.path.name}-"
    return next((part["start"], part["stop"]) for task in stream.data
                if task["key"].startswith(name)
                for part in task["startstops"] if part["action"] == "compute")


def test_a_page_waits_on_the_cluster_for_the_page_it_follows(scheduler, sample, tmp_path,
                                                            fonts):
    """The first page, which would start at once, follows the last (as a jump's
    continuation follows its front page)."""
    from paiban.cluster import connect
    edition = parse_edition(sample)
    for page in edition.pages:  # (the sample's continuation follows its front page)
        page.after = ()
    first, last = edition.pages[0], edition.pages[-1]
    first.after = (last.number,)
    finished = []
    with connect(scheduler) as cluster, distributed.get_task_stream(cluster.client) as stream:
        build.build_edition(edition, fonts, tmp_path, cluster=cluster,
                            progress=lambda done, total, entry: finished.append(entry["page"]))
    assert computed(stream, first)[0] >= computed(stream, last)[1]
    assert finished.index(first.number) > finished.index(last.number)


def test_pages_are_begun_after_the_pages_they_follow(sample):
    pages = parse_edition(sample).pages[:2]
    first, second = pages
    second.after = ()
    first.after = (second.number,)
    begun = []

    def submit(page):
        begun.append(page.number)
        future = Future()
        future.set_result(page.number)
        return future
    made = [n for _, _, n in build.in_order([(p, None) for p in pages], submit, at_once=1)]
    assert made == begun == [second.number, first.number]
    second.after = (first.number,)
    with pytest.raises(build.PaibanError, match=f"pages {first.number}, {second.number} "
                       "each wait for another"):
        list(build.in_order([(p, None) for p in pages], submit))


def test_a_scheduler_without_workers_is_refused(sample, tmp_path, capsys):
    with distributed.LocalCluster(n_workers=0, processes=True,
                                  dashboard_address=":0") as empty:
        assert main(["build", str(sample), "-o", str(tmp_path),
                     "--cluster", empty.scheduler_address]) == 1
    assert "the cluster has no workers" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_located_error(sample, tmp_path, capsys, monkeypatch):
    from paiban import cluster
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    assert main(["build", str(sample), "-o", str(tmp_path),
                 "--cluster", "tcp://127.0.0.1:9"]) == 1
    assert main(["build", str(sample), "-o", str(tmp_path), "--cluster", "nowhere"]) == 2
    error = capsys.readouterr().err
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in error
    assert "nowhere: not a scheduler's address" in error and "Traceback" not in error
