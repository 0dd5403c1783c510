"""Commands by name with JSON arguments, answered with the result's JSON: the node's view
of the engine, for code that drives an engine thread as the node does (benchmarks, tests
that compare with what a node prints). Refusals are the same CommandErrors the node's
replies carry."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from peerapp.core.api.contract import Result
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import CommandError
from peerapp.engine.thread import EngineThread

JsonFuture = concurrent.futures.Future[dict[str, Any]]


def request_json(thread: EngineThread, name: str, /, **arguments: Any) -> JsonFuture:
    answer: JsonFuture = concurrent.futures.Future()
    try:
        command = parse_command(name, arguments)
    except CommandError as error:
        answer.set_exception(error)
        return answer

    def done(settled: concurrent.futures.Future[Result]) -> None:
        error = settled.exception()
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result_json(settled.result()))

    future: concurrent.futures.Future[Result] = thread.request(command)
    future.add_done_callback(done)
    return answer
