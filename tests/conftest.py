import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW = ROOT.parent / "shared" / "samples" / "dawukou-2022.txt"
SAMPLE_EDITION = ROOT / "source" / "sample-2023-01-16"


@pytest.fixture(scope="session")
def fonts():
    from paiban.fonts import Fonts
    return Fonts()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory, fonts):
    """The committed sample edition built once into a temporary output folder."""
    from paiban.build import build_edition
    from paiban.source import parse_edition
    out = tmp_path_factory.mktemp("output")
    report = build_edition(parse_edition(SAMPLE_EDITION), fonts, out)
    return out / SAMPLE_EDITION.name, report


@pytest.fixture
def edition_copy(tmp_path):
    """A writable copy of the sample edition, to build altered versions of it."""
    target = tmp_path / SAMPLE_EDITION.name
    shutil.copytree(SAMPLE_EDITION, target)
    return target
