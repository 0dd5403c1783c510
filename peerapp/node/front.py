"""`peerapp node`: unlock or create the profile, run the engine thread, serve JSON lines.

Threads: the engine runs in its own thread (as under the GUI); a reader thread turns stdin
into a queue; the main thread takes lines from the queue, hands commands to the engine
and handles signals. Replies are written from the engine thread as futures complete,
under one lock so lines never interleave.

Exit codes: 0 after `quit`, EOF or SIGTERM; 130 after Ctrl-C; 2 bad usage (no passphrase,
bad --listen, an unknown PEERAPP_TIMINGS); 3 wrong passphrase; 4 damaged profile; 5 profile
in use; 1 engine failure.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from peerapp.core.api.circles import Quit
from peerapp.core.api.contract import Result
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import (
    CommandError,
    HearthError,
    PassphraseRejected,
    ProfileDamaged,
    ProfileInUse,
    WrongPassphrase,
)
from peerapp.core.events import EngineError, EngineEvent
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.context import DEFAULT_TIMINGS, Timings
from peerapp.engine.engine import Engine
from peerapp.engine.profiles import (
    ProfileLock,
    UnlockedProfile,
    create_profile,
    parse_listen_address,
    profile_exists,
    unlock_profile,
)
from peerapp.engine.thread import EngineThread
from peerapp.hardening import take_environment_variable
from peerapp.node.protocol import (
    FAILED,
    INTERNAL,
    MAX_LINE_BYTES,
    BadLine,
    encode,
    parse_line,
    reply_error,
    reply_ok,
)
from peerapp.node.timings import TIMINGS_VARIABLE, timings_from

log = logging.getLogger(__name__)

PASSPHRASE_VARIABLE = "PEERAPP_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
# no passphrase comes near this; a bound so a stdin without a newline is not read forever
MAX_PASSPHRASE_BYTES = 4096
READY_TIMEOUT_SECONDS = 60
DRAIN_TIMEOUT_SECONDS = 10

EXIT_OK = 0
EXIT_ENGINE_FAILED = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_DAMAGED = 4
EXIT_IN_USE = 5
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class PassphraseSource:
    """Where the passphrase comes from: `file` (its first line), else the first stdin line
    when `stdin`, else PEERAPP_PASSPHRASE (the weakest: other tools may copy the
    environment, e.g. into a shell history, a service manager's logs or a crash report)."""

    file: Path | None = None
    stdin: bool = False


class _Terminate(Exception):
    """Raised in the main thread by the SIGTERM handler."""


class _Output:
    """stdout, one JSON document per line; events wait until the ready line is out."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._ready_written = False
        self._held: list[dict[str, Any]] = []

    def write(self, document: dict[str, Any]) -> None:
        with self._lock:
            if not self._ready_written and document.get("event") not in (None, "ready"):
                self._held.append(document)
                return
            self._write_locked(document)
            if document.get("event") == "ready":
                self._ready_written = True
                for held in self._held:
                    self._write_locked(held)
                self._held.clear()

    def _write_locked(self, document: dict[str, Any]) -> None:
        try:
            self._stream.write(encode(document))
            self._stream.flush()
        except (BrokenPipeError, ValueError):
            log.warning("stdout is closed; dropping output")


# Sentinels on the line queue
_EOF = object()
_ENGINE_DIED = object()


def _read_lines(descriptor: int, lines: queue.Queue[object]) -> None:
    """Split the raw stdin descriptor into lines, refusing any longer than MAX_LINE_BYTES.

    Reads the descriptor directly: a daemon thread blocked inside sys.stdin's buffered
    reader holds its lock, and the interpreter aborts at exit when it finds it held.
    """
    pending = bytearray()
    oversized = False
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            if pending.strip() and not oversized:
                lines.put(bytes(pending))
            lines.put(_EOF)
            return
        pending += chunk
        while (newline := pending.find(b"\n")) >= 0:
            line = bytes(pending[:newline])
            del pending[: newline + 1]
            if oversized:
                oversized = False
                lines.put(BadLine(None, f"the line is longer than {MAX_LINE_BYTES} bytes"))
            elif line.strip():
                lines.put(line)
        if len(pending) > MAX_LINE_BYTES:
            # keep nothing of an oversized line; its end is still to come
            oversized = True
            pending.clear()


def _read_line_from_stdin() -> str | None:
    """The first stdin line (None at once at end of input), read a byte at a time: the
    JSON commands that follow it stay unread in the descriptor for the line reader (a
    buffered read would take some of them)."""
    line = bytearray()
    while len(line) <= MAX_PASSPHRASE_BYTES:
        try:
            byte = os.read(sys.stdin.fileno(), 1)
        except OSError:
            byte = b""  # no usable stdin: as at its end
        if not byte and not line:
            return None
        if byte in (b"", b"\n"):
            break
        line += byte
    else:
        raise PassphraseRejected("the passphrase line on standard input is too long")
    try:
        return line.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        raise PassphraseRejected("the passphrase on standard input is not UTF-8") from None


def _read_passphrase(source: PassphraseSource, from_environment: str | None) -> str | None:
    if source.file is not None:
        try:
            text = source.file.read_text(encoding="utf-8")
        except OSError as error:
            raise PassphraseRejected(f"cannot read the passphrase file: {error.strerror}") from None
        return text.splitlines()[0] if text else ""
    if source.stdin:
        return _read_line_from_stdin()
    return from_environment


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"peerapp node: {message}\n")
    return code


def _open_profile(profile: Path, passphrase: str) -> UnlockedProfile:
    if profile_exists(profile):
        return unlock_profile(profile, passphrase)
    log.info("no profile yet; creating one")
    return create_profile(profile, passphrase)


_EXIT_CODES: dict[type[HearthError], int] = {
    WrongPassphrase: EXIT_WRONG_PASSPHRASE,
    ProfileDamaged: EXIT_DAMAGED,
    ProfileInUse: EXIT_IN_USE,
}


def _prepare(
    profile: Path, listen: list[str], source: PassphraseSource
) -> tuple[UnlockedProfile, ProfileLock]:
    """Check the options, lock and open the profile; every refusal is a HearthError."""
    # out of the environment first thing, also when a better source is given
    from_environment = take_environment_variable(PASSPHRASE_VARIABLE)
    for text in listen:
        parse_listen_address(text)
    passphrase = _read_passphrase(source, from_environment)
    if passphrase is None:
        raise PassphraseRejected(
            f"no passphrase: use --passphrase-file, --passphrase-stdin or {PASSPHRASE_VARIABLE}"
        )
    try:
        lock = ProfileLock.acquire(profile)
    except OSError as error:
        raise HearthError(f"cannot use the profile folder {profile}: {error.strerror}") from None
    try:
        return _open_profile(profile, passphrase), lock
    except BaseException:
        lock.release()
        raise


def run_node(
    profile: Path,
    listen: list[str],
    source: PassphraseSource,
    network: NetworkOptions = PROFILE_SETTINGS,
) -> int:
    try:
        timings = timings_from(os.environ)  # for tests (node/timings.py)
        if timings != DEFAULT_TIMINGS:
            log.warning("%s: the engine's timers are shortened, for tests", TIMINGS_VARIABLE)
        unlocked, lock = _prepare(profile, listen, source)
    except WrongPassphrase:
        return _fail(f"wrong passphrase for the profile in {profile}", EXIT_WRONG_PASSPHRASE)
    except HearthError as error:
        return _fail(error.message, _EXIT_CODES.get(type(error), EXIT_USAGE))
    try:
        return _serve(unlocked, listen, network, timings)
    finally:
        lock.release()


def _serve(
    unlocked: UnlockedProfile, listen: list[str], network: NetworkOptions, timings: Timings
) -> int:
    output = _Output(sys.stdout.buffer)
    lines: queue.Queue[object] = queue.Queue()

    def on_event(event: EngineEvent) -> None:
        output.write(event.to_json())
        if isinstance(event, EngineError) and event.fatal:
            lines.put(_ENGINE_DIED)

    engine = EngineThread(
        lambda emit: Engine(unlocked, listen, emit, network=network, timings=timings), on_event
    )
    ready = engine.start()
    try:
        ready.result(READY_TIMEOUT_SECONDS)
    except HearthError as error:
        engine.stop()
        return _fail(error.message, EXIT_ENGINE_FAILED)
    except concurrent.futures.TimeoutError:
        engine.stop()
        return _fail("the engine did not start in time", EXIT_ENGINE_FAILED)

    reader = threading.Thread(
        target=_read_lines, args=(sys.stdin.fileno(), lines), name="stdin-reader", daemon=True
    )
    reader.start()
    previous_term = signal.signal(signal.SIGTERM, _raise_terminate)
    code = EXIT_OK
    try:
        code = _command_loop(engine, lines, output)
    except _Terminate:
        log.info("SIGTERM: stopping")
        code = EXIT_OK
    except KeyboardInterrupt:
        log.info("interrupted: stopping")
        code = EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        if not engine.stop():
            code = EXIT_ENGINE_FAILED
    return code


def _raise_terminate(signum: int, frame: FrameType | None) -> None:
    raise _Terminate()


def _command_loop(engine: EngineThread, lines: queue.Queue[object], output: _Output) -> int:
    outstanding: set[concurrent.futures.Future[Result]] = set()
    while True:
        item = lines.get()
        if item is _ENGINE_DIED:
            return EXIT_ENGINE_FAILED
        if item is _EOF:
            _drain(outstanding)
            return EXIT_OK
        parsed = item if isinstance(item, BadLine) else parse_line(item)  # type: ignore[arg-type]
        if isinstance(parsed, BadLine):
            output.write(reply_error(parsed.id, parsed.error))
            continue
        try:
            command = parse_command(parsed.command, parsed.arguments)
        except CommandError as error:
            output.write(reply_error(parsed.id, error.message, error.refusal.value))
            continue
        if isinstance(command, Quit):
            # commands sent before quit are answered before the node goes
            _drain(outstanding)
            output.write(reply_ok(parsed.id, {}))
            return EXIT_OK
        future: concurrent.futures.Future[Result] = engine.request(command)
        outstanding = {pending for pending in outstanding if not pending.done()}
        outstanding.add(future)
        future.add_done_callback(_replier(parsed.id, output))


def _drain(outstanding: set[concurrent.futures.Future[Result]]) -> None:
    _, late = concurrent.futures.wait(outstanding, timeout=DRAIN_TIMEOUT_SECONDS)
    if late:
        log.warning("%d commands were still running at exit", len(late))


def _replier(request_id: Any, output: _Output) -> Any:
    def reply(future: concurrent.futures.Future[Result]) -> None:
        error = future.exception()
        if error is None:
            output.write(reply_ok(request_id, result_json(future.result())))
        elif isinstance(error, CommandError):
            output.write(reply_error(request_id, error.message, error.refusal.value))
        elif isinstance(error, HearthError):
            output.write(reply_error(request_id, error.message, FAILED))
        else:
            message = f"internal error ({type(error).__name__})"
            output.write(reply_error(request_id, message, INTERNAL))

    return reply
