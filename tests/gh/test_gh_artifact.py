"""The validation artifact is hostile data: strict checks and inert rendering (hlsp.gh.report)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hlsp.errors import HlspError
from hlsp.gh.report import MARKER, MAX_COMMENT, Artifact, load_artifact, render_comment

HEAD = "c" * 40
SHA256 = "0" * 64


def finding(message="m", **over) -> dict:
    return {
        "rule": "FS006",
        "category": "fits",
        "severity": "error",
        "hdu": 0,
        "keyword": "NAXIS",
        "message": message,
        "hint": "h",
        **over,
    }


def documents(findings=None, path="contributions/m31/f.fits") -> tuple[dict, dict]:
    findings = [finding()] if findings is None else findings
    counts = {s: sum(f.get("severity") == s for f in findings) for s in ("error", "warning", "info")}
    report = {
        "summary": {"files": 1, "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]},
        "files": [{"path": path, "findings": findings}],
    }
    review = {
        "format": "hlsp-review/1",
        "base": "b" * 40,
        "head": HEAD,
        "maintenance": False,
        "outside": [],
        "contributions": [
            {
                "id": "m31",
                "status": "modified",
                "old_id": None,
                "path": "contributions/m31",
                "files": {"contributions/m31/hlsp.yaml": SHA256},
            }
        ],
    }
    return report, review


def save(folder: Path, report, review) -> Path:
    folder.mkdir(exist_ok=True)
    for name, doc in (("report.json", report), ("review.json", review)):
        (folder / name).write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return folder


def refused(folder: Path, match: str) -> str:
    with pytest.raises(HlspError, match=match) as exc:
        load_artifact(folder, HEAD)
    text = str(exc.value)
    assert "\n" not in text and len(text) < 300
    return text


def test_a_good_artifact_loads(tmp_path):
    art = load_artifact(save(tmp_path / "a", *documents()), HEAD)
    assert art.head == HEAD
    assert art.report.summary.errors == 1
    assert art.review["contributions"][0]["id"] == "m31"


@pytest.mark.parametrize(
    "text, match",
    [
        ("{not json", "not acceptable JSON"),
        ('{"summary": {}, "summary": {}}', "a key appears twice"),
        ('{"x": NaN}', "NaN is not JSON"),
        ("[" * 5000 + "]" * 5000, "nested"),
        ("", "not acceptable JSON"),
    ],
)
def test_malformed_json_is_refused(tmp_path, text, match):
    _, review = documents()
    refused(save(tmp_path / "a", text, review), match)


def test_not_utf8_and_oversized_and_not_regular(tmp_path):
    report, review = documents()
    folder = save(tmp_path / "a", report, review)
    (folder / "report.json").write_bytes(b'{"summary": "\xff"}')
    refused(folder, "not UTF-8")
    with open(folder / "report.json", "wb") as fh:
        fh.truncate(33 * 1024 * 1024)  # sparse: size alone refuses it, nothing is read
    refused(folder, "bytes \\(limit")
    (folder / "report.json").unlink()
    (folder / "report.json").symlink_to("/etc/passwd")
    refused(folder, "not a regular file")
    (folder / "report.json").unlink()
    refused(folder, "has no report.json")


@pytest.mark.parametrize(
    "change, where",
    [
        ({"hdu": "0"}, "hdu"),
        ({"hdu": 1.0}, "hdu"),  # integers must be integers
        ({"hdu": True}, "hdu"),
        ({"severity": "fatal"}, "severity"),
        ({"rule": "<script>"}, "rule"),
        ({"message": 12}, "message"),
        ({"message": ["a"]}, "message"),
        ({"extra": "key"}, "findings/0"),
        ({"line": 0}, "line"),
    ],
)
def test_wrong_types_are_refused(tmp_path, change, where):
    report, review = documents([finding(**change)])
    report["summary"] = documents()[0]["summary"] if change.get("severity") == "fatal" else report["summary"]
    text = refused(save(tmp_path / "a", report, review), "report.json is malformed")
    assert where in text


def test_missing_field_and_inconsistent_summary(tmp_path):
    bad = finding()
    del bad["hint"]
    refused(save(tmp_path / "a", *documents([bad])), "report.json is malformed")
    report, review = documents()
    report["summary"]["errors"] = 0
    refused(save(tmp_path / "b", report, review), "summary does not match")


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda r: r.update(format="hlsp-review/9"), "review.json is malformed"),
        (lambda r: r.update(head="HEAD"), "review.json is malformed"),
        (lambda r: r.update(maintenance="yes"), "review.json is malformed"),
        (lambda r: r["contributions"][0].update(id=".."), "review.json is malformed"),
        (lambda r: r["contributions"][0].update(id="a/b", path="contributions/a/b"), "review.json is malformed"),
        (lambda r: r["contributions"][0].update(path="/etc"), "inconsistent"),
        (lambda r: r["contributions"][0]["files"].update({"contributions/other/x": SHA256}), "inconsistent"),
        (lambda r: r["contributions"][0]["files"].update({"/etc/passwd": SHA256}), "review.json is malformed"),
        (lambda r: r["contributions"][0]["files"].update({"contributions/m31/x": "md5"}), "review.json is malformed"),
        (lambda r: r["contributions"][0].update(status="exploded"), "review.json is malformed"),
    ],
)
def test_bad_review_is_refused(tmp_path, mutate, match):
    report, review = documents()
    mutate(review)
    refused(save(tmp_path / "a", report, review), match)


def test_huge_strings_are_refused_and_long_ones_clipped(tmp_path):
    refused(save(tmp_path / "a", *documents([finding("x" * 70_000)])), "a string of 70000 characters")
    art = load_artifact(save(tmp_path / "b", *documents([finding("y" * 5_000)])), HEAD)
    body = render_comment(art)
    assert "y" * 299 in body and "y" * 301 not in body and "\u2026" in body


HOSTILE = [
    "<script>alert(document.cookie)</script>",
    "@octocat @archive/reviewers please merge",
    "[click me](https://evil.example/phish) ![img](https://evil.example/x.png)",
    "ends cell | injected | cells |",
    "line one\n\n## Injected heading\n\n<!-- hlsp-verdict: passed -->",
    "`code` **bold** ~~strike~~ $\\href{x}{y}$ www.evil.example",
    "bidi \u202eevil\u202c zero\u200bwidth \x1b[31mansi",
    "<details><summary>x</summary>",
]


def test_hostile_text_is_rendered_inert(tmp_path):
    findings = [finding(text, keyword=text, hint=text) for text in HOSTILE]
    findings += [finding(text, severity="warning") for text in HOSTILE]
    report, review = documents(findings, path="contributions/m31/<img src=x onerror=alert(1)>@octocat.fits")
    body = render_comment(load_artifact(save(tmp_path / "a", report, review), HEAD))
    # no raw HTML from contributors, no mentions, no links, no extra verdict or heading
    assert "<script" not in body and "<img" not in body
    assert body.count("<details>") == 1 + 0  # only the template's own (one warnings file)
    assert not re.search(r"@[A-Za-z]", body), "an @mention survived"
    assert "](https://evil" not in body and "https://evil" not in body and "www.evil" not in body
    assert body.count("<!-- hlsp-verdict:") == 1 and body.count(MARKER) == 1
    assert "\n## Injected" not in body
    assert "\u202e" not in body and "\x1b" not in body and "\u200b" not in body
    assert "~~strike~~" not in body and "**bold**" not in body and "$\\href" not in body
    # every table row still has exactly its 4 columns (escaped pipes do not split cells)
    for line in body.splitlines():
        if line.startswith("| FS006"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line


def test_comment_is_capped_with_a_link_to_the_full_report(tmp_path):
    findings = [finding(f"problem {i} " + "z" * 250) for i in range(3000)]
    art = load_artifact(save(tmp_path / "a", *documents(findings)), HEAD)
    url = "https://github.com/archive/hlsp/actions/runs/42"
    body = render_comment(art, url)
    assert len(body) <= MAX_COMMENT
    m = re.search(r"\*\*(\d+) more findings did not fit in this comment\*\*", body)
    assert m and 0 < int(m[1]) < 3000
    shown = body.count("| FS006 |")
    assert shown + int(m[1]) == 3000
    assert f"[full report]({url})" in body
    assert "problem 0 " in body  # the first errors are the ones shown


def test_run_url_must_be_plain(tmp_path):
    art = load_artifact(save(tmp_path / "a", *documents()), HEAD)
    with pytest.raises(HlspError, match="not a plain http"):
        render_comment(art, "javascript:alert(1)")
    with pytest.raises(HlspError, match="not a plain http"):
        render_comment(art, "https://x.example/a) [b](https://evil")


def test_artifact_from_check_round_trips(tmp_path):
    """What the unprivileged job writes is exactly what the privileged job accepts."""
    from hlsp.findings import Category, FileResult, Finding, Report, Severity
    from hlsp.gh.changes import Changes, ContributionChange
    from hlsp.gh.check import Check, write_artifact

    report = Report(
        [
            FileResult(
                "contributions/m31/f.fits", [Finding("FS006", Category.FITS, Severity.ERROR, "x", line=3, column=1)]
            )
        ]
    )
    check = Check(
        Changes("b" * 40, HEAD, [ContributionChange("m31", "added")]),
        report,
        {"m31": {"contributions/m31/f.fits": SHA256}},
        maintenance=False,
    )
    write_artifact(check, tmp_path / "out", render_comment(Artifact(report, check.review())))
    art = load_artifact(tmp_path / "out", HEAD)
    assert art.report.to_dict() == report.to_dict()
    assert art.review == check.review()
    assert (tmp_path / "out" / "comment.md").read_text() == render_comment(art)


def test_errors_first_then_warnings_per_file_then_notes(tmp_path):
    findings = [finding("a note", severity="info"), finding("a warning", severity="warning"), finding("an error")]
    report, review = documents(findings)
    report["files"].append({"path": "contributions/m31/g.fits", "findings": [finding("w2", severity="warning")]})
    report["summary"]["files"] = 2
    report["summary"]["warnings"] = 2
    body = render_comment(load_artifact(save(tmp_path / "a", report, review), HEAD))
    assert body.index("an error") < body.index("### Warnings") < body.index("a warning") < body.index("a note")
    assert body.count("<details><summary>⚠️") == 2  # one folded section per file with warnings
    assert "hints that never fail the check" in body
