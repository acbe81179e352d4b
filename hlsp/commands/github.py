"""hlsp github ACTION -- the steps of the pull-request pipeline (.github/workflows/).

- ``changes``      which contributions a pull request or push touches (git only);
- ``check``        the unprivileged job: validate them, annotate, write the artifact;
- ``report``       the privileged job: post the comment and the commit status;
- ``find-review``  after merge: the pull request and validation run behind a commit;
- ``pending``      after merges: everything merged since the last successful staging,
                   each contribution with the review of the merge that last changed it;
- ``verify-merge`` after merge: re-validate and compare with the reviewed checksums.

Values for later workflow steps go to ``$GITHUB_OUTPUT`` one ``key=value`` line
each: numbers and plain strings (commit SHAs) as they are -- ``${{ steps.x.outputs.head-sha }}``
must be the SHA itself, not a quoted JSON string -- and lists as JSON, read with
``jq``.  No value can hold a newline (a string with a control character is
refused), so a crafted folder name cannot forge another key.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from hlsp.errors import HlspError, require_extra
from hlsp.reporters import make_reporter
from hlsp.reporters.base import summary_line


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="steps of the GitHub pull-request pipeline",
        description="Steps of the GitHub pull-request pipeline; see .github/workflows/ for how they fit together.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("changes", help="list the contributions changed between two commits (JSON)")
    _git_options(a)
    a.set_defaults(_action=_changes)

    a = actions.add_parser(
        "check",
        help="validate the contributions a pull request changes and write the report artifact",
        description="Validate the changed contributions; print annotations, append the comment to "
        "$GITHUB_STEP_SUMMARY, write report.json, review.json and comment.md. Exit 1 on errors.",
    )
    _git_options(a)
    a.add_argument("--out", required=True, metavar="DIR", help="folder for the artifact files")
    a.add_argument("--labels", default="[]", metavar="JSON", help="the pull request's label names as a JSON list")
    a.set_defaults(_action=_check)

    a = actions.add_parser(
        "report",
        help="post the comment and commit status from a validation artifact",
        description="Read the artifact strictly as data, then post one comment on the pull request whose head is "
        "SHA and the commit status hlsp/validation. Uses GITHUB_TOKEN and GITHUB_API_URL.",
    )
    a.add_argument("--artifact", required=True, metavar="DIR", help="the downloaded artifact folder")
    a.add_argument("--repo", required=True, metavar="OWNER/NAME")
    a.add_argument("--sha", required=True, help="the pull request's head commit (workflow_run.head_sha)")
    a.add_argument("--run-url", metavar="URL", help="the validation run, linked as the full report")
    a.add_argument("--bot-login", default="github-actions[bot]", help="the account whose comments are ours")
    a.set_defaults(_action=_report)

    a = actions.add_parser("find-review", help="find the pull request and validation run behind a merged commit")
    a.add_argument("--repo", required=True, metavar="OWNER/NAME")
    a.add_argument("--sha", required=True, help="the merged commit")
    a.add_argument("--workflow", default="validate.yml", help="file name of the validation workflow")
    a.set_defaults(_action=_find_review)

    a = actions.add_parser(
        "pending",
        help="find what is merged on main and not yet staged, with each merge's review",
        description="Base: the head of the newest successful stage.yml run on main (else --fallback-base). For every "
        "merge since, find its approved pull request and validation run and download the artifact; write "
        "DIR/plan.json for verify-merge --plan. Uses GITHUB_TOKEN and GITHUB_API_URL.",
    )
    a.add_argument("--repo", required=True, metavar="OWNER/NAME")
    a.add_argument("--head", default="HEAD", metavar="REF", help="the commit on main to stage up to (default: HEAD)")
    a.add_argument("--fallback-base", required=True, metavar="REF", help="the base when no stage run succeeded yet")
    a.add_argument("--workflow", default="stage.yml", help="file name of the staging workflow")
    a.add_argument("--out", required=True, metavar="DIR", help="folder for plan.json and the reviewed artifacts")
    a.add_argument("--repo-dir", default=".", metavar="DIR", help="the git work tree, full history (default: .)")
    a.set_defaults(_action=_pending)

    a = actions.add_parser(
        "verify-merge",
        help="re-validate a merged commit and compare it with the reviewed artifact",
        description="Exit 0 and list the contributions to stage only if the merged commit validates without "
        "errors and every file's sha256 equals the one the reviewed report recorded.",
    )
    _git_options(a)
    a.add_argument("--reviewed", metavar="DIR", help="the reviewed validation artifact (one merge)")
    a.add_argument("--reviewed-sha", help="the pull request head the artifact must describe")
    a.add_argument(
        "--plan",
        metavar="FILE",
        help="plan.json of `hlsp github pending` (every merge since its base; "
        "--base is ignored): stage what verifies, name and count what is refused (output `refused`)",
    )
    a.set_defaults(_action=_verify_merge)
    return p


def _git_options(a: argparse.ArgumentParser) -> None:
    a.add_argument("--base", required=True, metavar="REF", help="the base commit (the target branch)")
    a.add_argument("--head", default="HEAD", metavar="REF", help="the commit to inspect (default: HEAD)")
    a.add_argument("--repo-dir", default=".", metavar="DIR", help="the git work tree (default: .)")


def run(args: argparse.Namespace) -> int:
    return args._action(args)


def _output_value(value: Any) -> str:
    """One $GITHUB_OUTPUT value: ints and plain strings as they are, lists and objects as JSON."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=True)  # one line: JSON escapes every control character
    text = str(value)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise HlspError(f"refusing to write an output value with a control character: {text[:40]!r}")
    return text


def _outputs(values: dict[str, Any]) -> None:
    """Append ``key=value`` lines to $GITHUB_OUTPUT when running under Actions."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    lines = [f"{key}={_output_value(value)}\n" for key, value in values.items()]
    with open(path, "a", encoding="utf-8") as fh:
        fh.writelines(lines)


def _changes(args: argparse.Namespace) -> int:
    from hlsp.gh.changes import changed_contributions

    changes = changed_contributions(args.base, args.head, args.repo_dir)
    print(json.dumps(changes.to_dict(), indent=1, ensure_ascii=False))
    _outputs(
        {
            "contributions": [c.id for c in changes.to_validate],
            "deleted": [c.id for c in changes.contributions if c.status == "deleted"],
            "count": len(changes.to_validate),
            "outside": len(changes.outside),
        }
    )
    return 0


def _labels(text: str) -> list[str]:
    try:
        labels = json.loads(text)
    except ValueError:
        labels = False
    if labels is None:  # act renders toJSON() of an empty label list as null (GitHub gives [])
        labels = []
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise HlspError("--labels must be a JSON list of strings, e.g. '[\"maintenance\"]'")
    return labels


STEP_SUMMARY_CHARS = 250_000  # GitHub takes 1 MiB of job summary per step; 4 bytes a character at worst


def _check(args: argparse.Namespace) -> int:
    from hlsp.gh.check import check_pull_request, write_artifact
    from hlsp.gh.artifact import Artifact
    from hlsp.gh.comment import render_comment

    check = check_pull_request(args.base, args.head, args.repo_dir, _labels(args.labels))
    artifact = Artifact(check.report, check.review())
    comment = render_comment(artifact)
    write_artifact(check, args.out, comment)
    # Annotations within GitHub's per-step limits; whatever they leave out is in the
    # comment and, with room for every finding up to GitHub's 1 MiB, in the job summary.
    reporter = make_reporter("github", sys.stdout, more_where="the pull-request comment and this run's job summary")
    summary = reporter.render(check.report)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(render_comment(artifact, max_chars=STEP_SUMMARY_CHARS) + "\n")
    _outputs({"contributions": [c.id for c in check.changes.to_validate], "errors": summary.errors})
    return 1 if summary.errors else 0


def _report(args: argparse.Namespace) -> int:
    require_extra("github", "hlsp github report")
    from hlsp.gh.client import GitHub
    from hlsp.gh.artifact import load_artifact
    from hlsp.gh.comment import check_run_url
    from hlsp.gh.report import CONTEXT, post_report

    run_url = check_run_url(args.run_url)
    repo = GitHub.from_env().repository(args.repo)
    try:
        artifact = load_artifact(args.artifact, head_sha=args.sha)
    except HlspError:
        repo.create_status(args.sha, "error", "the validation report was rejected; see the run log", CONTEXT, run_url)
        raise
    posted = post_report(repo, artifact, args.sha, run_url, args.bot_login)
    where = f"pull request #{posted.pull_request}" if posted.pull_request else "no open pull request"
    was = f" (was {posted.previous})" if posted.previous and posted.previous != posted.verdict else ""
    print(f"{posted.verdict}{was}: status {posted.state} ({posted.description}); comment {posted.comment} on {where}")
    if posted.scope_findings:
        print(f"added {posted.scope_findings} GH001 finding(s) the validation run did not report")
    return 0


def _find_review(args: argparse.Namespace) -> int:
    require_extra("github", "hlsp github find-review")
    from hlsp.gh.client import GitHub
    from hlsp.gh.gate import find_review

    review = find_review(GitHub.from_env().repository(args.repo), args.sha, args.workflow)
    pr, run = review.pull_request, review.run
    print(f"commit {args.sha[:12]} merged pull request #{pr.number}; reviewed by run {run.id} ({run.conclusion})")
    _outputs({"run-id": run.id, "pull-request": pr.number, "head-sha": pr.head_sha})
    return 0


def _pending(args: argparse.Namespace) -> int:
    require_extra("github", "hlsp github pending")
    from hlsp.gh.changes import resolve
    from hlsp.gh.client import GitHub
    from hlsp.gh.pending import last_staged, plan

    repo = GitHub.from_env().repository(args.repo)
    head = resolve(args.repo_dir, args.head)
    base = last_staged(repo, head, args.repo_dir, args.workflow)
    source = f"the last successful {args.workflow} run" if base else "no successful staging yet: the fallback base"
    base = base or resolve(args.repo_dir, args.fallback_base)
    p = plan(repo, base, head, args.out, args.repo_dir)
    print(f"merged since {base[:12]} ({source}): {len(p.contributions) + len(p.refused)} contribution(s)")
    for cid, entry in sorted(p.contributions.items()):
        print(f"  {cid}: merge {entry['merge'][:12]}, pull request #{entry['pull_request']}, run {entry['run']}")
    for cid, why in sorted(p.refused.items()):
        print(f"  {cid}: refused: {why}")
    _outputs({"base": base, "count": len(p.contributions) + len(p.refused)})
    return 0


def _verify_merge(args: argparse.Namespace) -> int:
    from hlsp.gh.gate import verify_merge, verify_plan
    from hlsp.gh.artifact import load_artifact

    if args.plan:
        verified = verify_plan(args.plan, args.head, args.repo_dir)
        print(
            summary_line(verified.check.report.summary)
            + f"; identical to their reviews: {', '.join(verified.staged) or 'nothing'}"
        )
        for cid, why in sorted(verified.refused.items()):
            print(f"refused {cid}: {why}")
        _outputs({"contributions": verified.staged, "count": len(verified.staged), "refused": len(verified.refused)})
        return 0
    if not args.reviewed or not args.reviewed_sha:
        raise HlspError("give --plan FILE, or --reviewed DIR with --reviewed-sha SHA")
    reviewed = load_artifact(args.reviewed, head_sha=args.reviewed_sha)
    check = verify_merge(reviewed, args.base, args.head, args.repo_dir)
    ids = [c.id for c in check.changes.to_validate]
    print(summary_line(check.report.summary) + f"; identical to the review: {', '.join(ids) or 'nothing to stage'}")
    _outputs({"contributions": ids, "count": len(ids)})
    return 0
