"""MD003 orcid-check-digit."""

import pytest

from contribution_support import copy_example, edit, findings, line_of
from hlsp.metadata import orcid_checksum_ok


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0097", "0000-0003-1415-9269", "0000-0002-1694-233X"])
def test_valid_ids(orcid):
    assert orcid_checksum_ok(orcid)


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0098", "0000-0002-1825-009", "0000-0002-1694-2330"])
def test_invalid_ids(orcid):
    assert not orcid_checksum_ok(orcid)


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD003") == []


def test_typo_in_team_member_orcid(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "0000-0003-1415-9269", "0000-0003-1415-9268")
    (f,) = findings(root, "MD003")
    assert f.message == "the ORCID iD 0000-0003-1415-9268 of Grace Hopper has a wrong check digit (a typo?)"
    assert f.line == line_of(root / "hlsp.yaml", "Grace Hopper")
