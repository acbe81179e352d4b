"""Wiring the library into GitHub pull requests.

- :mod:`hlsp.gh.changes` -- which contributions a pull request touches (git only, no API);
- :mod:`hlsp.gh.check`   -- the unprivileged validation job: validate them, write the artifact;
- :mod:`hlsp.gh.report`  -- the privileged follow-up: read the artifact strictly as data,
  render the comment, post it and the commit status;
- :mod:`hlsp.gh.gate`    -- after merge: compare the merged content with what was reviewed;
- :mod:`hlsp.gh.client`  -- the only module that talks to the GitHub API (github3.py);
- :mod:`hlsp.gh.rules`   -- the pull-request-level rules (GH001...).
"""
