"""GH003 symbolic-link: a contribution folder holds a symbolic link."""

import hashlib

from gh_support import GitRepo
from hlsp.gh.changes import Changes, ContributionChange
from hlsp.gh.check import check_pull_request
from hlsp.rules._base import PullRequestContext
from hlsp.rules.gh003_symbolic_link import check


def test_symlink_is_an_error_and_its_target_is_not_reported(tmp_path):
    secret = tmp_path / "outside.fits"
    secret.write_bytes(b"not fits, and not the contributor's")
    repo = GitRepo(tmp_path / "repo")
    repo.commit("initial")
    repo.branch("pr")
    repo.write("contributions/m31/README.md", "# m31\n")
    (repo.path / "contributions/m31/hlsp_m31_hst_acs_m31_f606w_v1_img.fits").symlink_to(secret)
    repo.commit()
    check = check_pull_request("main", "pr", repo.path)
    by_path = {r.path: [f.rule for f in r.findings] for r in check.report.files}
    assert by_path["contributions/m31/hlsp_m31_hst_acs_m31_f606w_v1_img.fits"] == ["GH003"]
    assert list(check.checksums["m31"]) == ["contributions/m31/README.md"]  # links are never hashed


def test_regular_files_pass(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("initial")
    repo.branch("pr")
    repo.write("contributions/m31/README.md", "# m31\n")
    repo.commit()
    check = check_pull_request("main", "pr", repo.path)
    assert not any(f.rule == "GH003" for _, f in check.report.findings())
    assert check.checksums["m31"] == {"contributions/m31/README.md": hashlib.sha256(b"# m31\n").hexdigest()}


# The judgement itself: a pure function of the git modes (no git needed).
def test_check_reports_links_and_submodules_of_kept_contributions():
    changes = Changes(
        "b" * 40, "h" * 40, [ContributionChange("m31", "modified"), ContributionChange("gone", "deleted")]
    )
    tracked = {
        "m31": [
            ("100644", "contributions/m31/README.md"),
            ("100755", "contributions/m31/run.sh"),
            ("120000", "contributions/m31/a.fits"),
            ("160000", "contributions/m31/vendor"),
        ],
        "gone": [("120000", "contributions/gone/b.fits")],  # not kept: never judged
    }
    found = list(check(PullRequestContext(changes, tracked=tracked)))
    assert [(f.rule, f.path, f.severity.value) for f in found] == [
        ("GH003", "contributions/m31/a.fits", "error"),
        ("GH003", "contributions/m31/vendor", "error"),
    ]
    assert found[0].message == "this is a symbolic link, not a file" and "submodule" in found[1].message
