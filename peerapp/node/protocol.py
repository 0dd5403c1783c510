"""The node's JSON-lines wire format, sans-IO: parse a command line, shape replies.

A command line is a JSON object `{"id": ..., "cmd": "...", ...arguments}`. Replies echo
the id. An error reply carries a stable `code` (a core/api/refusals.Refusal value for a
refused command; BAD_LINE, FAILED or INTERNAL otherwise) and the text. Nothing a peer or
user typed is ever echoed into an error message, so replies and logs cannot leak message
text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_LINE_BYTES = 1024 * 1024
# error codes beside the refusals' own
BAD_LINE = "bad_line"  # not a JSON object with a "cmd"
FAILED = "failed"  # the engine could not answer (stopped, not running, a full disk...)
INTERNAL = "internal"  # a bug


@dataclass(frozen=True)
class CommandLine:
    id: Any
    command: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class BadLine:
    id: Any
    error: str


def parse_line(line: bytes) -> CommandLine | BadLine:
    try:
        document = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        return BadLine(None, f"the line is not valid JSON ({reason})")
    if not isinstance(document, dict):
        return BadLine(None, 'each line must be a JSON object with a "cmd" field')
    request_id = document.pop("id", None)
    command = document.pop("cmd", None)
    if not isinstance(command, str):
        return BadLine(request_id, 'the "cmd" field is missing or not text')
    return CommandLine(request_id, command, document)


def reply_ok(request_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    return {"id": request_id, "ok": True, **result}


def reply_error(request_id: Any, error: str, code: str = BAD_LINE) -> dict[str, Any]:
    return {"id": request_id, "ok": False, "code": code, "error": error}


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode("utf-8") + b"\n"
