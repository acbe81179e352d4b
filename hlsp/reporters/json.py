from __future__ import annotations

import json

from hlsp.findings import FileResult
from hlsp.reporters.base import Reporter


class JsonReporter(Reporter):
    """The machine contract: validators/schemas/report.schema.json.

    Streams: each file is written as soon as it is known; the summary comes last.
    """

    def begin(self) -> None:
        self.stream.write('{"files": [')
        self._first = True

    def file(self, result: FileResult) -> None:
        self.stream.write(("\n  " if self._first else ",\n  ") + json.dumps(result.to_dict(), ensure_ascii=False))
        self._first = False

    def end(self) -> None:
        self.stream.write('\n],\n"summary": ' + json.dumps(self.summary.to_dict()) + "}\n")
