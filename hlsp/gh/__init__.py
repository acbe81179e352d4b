"""Wiring the library into GitHub pull requests.

- :mod:`hlsp.gh.changes` -- which contributions a pull request touches (git only, no API);
- :mod:`hlsp.gh.check`   -- the unprivileged validation job: validate them, write the artifact;
- the privileged follow-up, in four steps:
  :mod:`hlsp.gh.artifact` -- read the artifact strictly as (hostile) data;
  :mod:`hlsp.gh.scope`    -- add GH001 for changed paths outside contributions/<id>/ (GitHub API);
  :mod:`hlsp.gh.comment`  -- render the comment and the commit status line;
  :mod:`hlsp.gh.report`   -- post them: one comment per pull request, one commit status;
- :mod:`hlsp.gh.gate`    -- after merge: compare the merged content with what was reviewed;
- :mod:`hlsp.gh.client`  -- the only module that talks to the GitHub API (github3.py);
- :mod:`hlsp.gh.rules`   -- the pull-request-level rules (GH001...).
"""
