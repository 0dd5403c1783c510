"""Receiving keys that age out, and repairing rotations we cannot open (issue 11).

Every KEY_ROTATE stays in the log with the epoch secret sealed to each member's X25519
receiving key, so whoever holds one of our private receiving keys can open every epoch
ever sealed to it. Keys therefore age out:

- Rotate: we announce a fresh receiving key (EXCHANGE_KEY) and at once start an epoch
  sealed to every member's current key (CircleLog.new_epoch does both), whenever
  we start an epoch (admission, removal, repair) and when our key is
  KEY_LIFETIME_SECONDS old (checked at start and every CHECK_SECONDS while running).
- Forget: the private key an EXCHANGE_KEY replaced is kept RETIRED_GRACE_SECONDS, to open
  rotations others sealed to it before our announcement reached them, then deleted
  (secure_delete and a WAL checkpoint). Epoch secrets older than the current one go 30 s
  after a rotation (moderation.EPOCH_GRACE_SECONDS). Removed from a circle, we keep no
  receiving key for it at all.
- Repair (rows: what we see about the current epoch, what we do):

    | current epoch               | we                                                   |
    |-----------------------------|------------------------------------------------------|
    | sealed to us, opened        | nothing                                              |
    | rekey_duty is ours          | rotate at once (repair_epoch)                        |
    | sealed to us, none of our   | rotate at once with `unreadable` = its id (counted   |
    | keys opens it (its stored   | against its author by every replica)                 |
    | KEY_ROTATE tried again)     |                                                      |
    | we are left out of it       | wait OMITTED_WAIT_SECONDS for the duty holder, then  |
    |                             | rotate ourselves                                     |

  Starting an epoch needs no other member's help, so a member sealing garbage to one
  victim cannot cut her off the fast path: each such rotation costs it a counted report
  and her one rotation, at most one per REPAIR_MIN_SECONDS per circle.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace

import nacl.public
import trio

from peerapp.core.circle_events import EventType
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime, decoded
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.storage.circle_store import CircleStore
from peerapp.storage.exchange_key_store import ExchangeKeyStore

log = logging.getLogger(__name__)

KEY_LIFETIME_SECONDS = 7 * 24 * 3600
CHECK_SECONDS = 60
RETIRED_GRACE_SECONDS = 3600
REPAIR_MIN_SECONDS = 10
OMITTED_WAIT_SECONDS = 10


def public_key(secret: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(secret).public_key)


class ReceivingKeys:
    def __init__(
        self,
        store: ExchangeKeyStore,
        circle_store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        topics: CircleTopics,
        context: EngineContext,
        count: Callable[[str], None],
        retire_later: Callable[[CircleRuntime], None],
    ) -> None:
        """`retire_later(runtime)`: forward secrecy after a rotation of ours (the epochs
        before it go after moderation's grace). `count`: the engine's dropped counters."""
        self._runtimes = runtimes
        self._log = log
        self._topics = topics
        self._circle_store = circle_store
        self._spawn = context.spawn
        self._count = count
        self._retire_later = retire_later
        self._store = store
        self._clock = context.clock  # key ages are judged by its wall time
        self._last_repair: dict[bytes, float] = {}  # circle -> trio time of our last repair
        self._rechecking: set[bytes] = set()  # circles with a repair check scheduled

    def load(self, runtime: CircleRuntime) -> None:
        """At start: the replaced keys still in their grace period."""
        runtime.retired_exchange = self._store.retired(runtime.circle_id)

    def fresh_key(self, runtime: CircleRuntime) -> bytes:
        """Replace our receiving key; the new private key is stored (the old one retired)
        before any event names it. Returns the new public key."""
        private = nacl.public.PrivateKey.generate()
        self._store.replace(runtime.circle_id, bytes(private), self._clock.now_ms())
        runtime.retired_exchange = [runtime.membership.exchange_secret, *runtime.retired_exchange]
        runtime.membership = replace(runtime.membership, exchange_secret=bytes(private))
        return bytes(private.public_key)

    def discard_all(self, runtime: CircleRuntime) -> None:
        """Removed from the circle: keep no key that opens any of its epochs."""
        # the column holds a key; a fresh one no event ever named opens nothing
        unused = bytes(nacl.public.PrivateKey.generate())
        self._store.discard(runtime.circle_id, unused)
        runtime.retired_exchange = []
        runtime.membership = replace(runtime.membership, exchange_secret=unused)

    # -- ageing -----------------------------------------------------------------------

    async def run_periodically(self) -> None:
        while True:
            await self.check_all()
            await trio.sleep(CHECK_SECONDS)

    async def check_all(self) -> None:
        """Delete replaced keys past their grace; rotate keys that are too old."""
        cutoff = self._clock.now_ms() - RETIRED_GRACE_SECONDS * 1000
        runtimes = self._runtimes.all()
        if self._store.forget_retired(cutoff):
            for runtime in runtimes:
                self.load(runtime)
        for runtime in runtimes:
            await self.check(runtime)

    async def check(self, runtime: CircleRuntime) -> None:
        me = runtime.state.members.get(runtime.me)
        if runtime.left or me is None:
            return
        made = self._store.made_at(runtime.circle_id)
        too_old = made is not None and self._clock.now_ms() - made >= KEY_LIFETIME_SECONDS * 1000
        # a crash between storing a new key and announcing it leaves the log behind
        unannounced = me.exchange != public_key(runtime.membership.exchange_secret)
        if too_old or unannounced:
            await self.rotate_epoch(runtime)
        else:
            await self.repair_epoch(runtime)

    # -- rotation and repair ----------------------------------------------------------

    async def rotate_epoch(self, runtime: CircleRuntime, unreadable: bytes | None = None) -> None:
        """A fresh receiving key and epoch of ours (CircleLog.new_epoch), stored and
        published under the epoch the others still hold."""
        previous = runtime.current_keys()
        events = self._log.new_epoch(runtime, unreadable=unreadable)
        accepted = {stored.id for stored in self._log.store(runtime, events)}
        if accepted:
            # out under the old epoch before we may leave its topic
            sent = self._log.publish(runtime, [v for v in events if v.id in accepted], previous)
            await sent.wait()
            await self._topics.sync(runtime)
            self._retire_later(runtime)

    async def repair_epoch(self, runtime: CircleRuntime) -> None:
        """Rotate when the current epoch no longer fits the members (or a member's current
        key) and it is our duty, or when we cannot read it (repair_unreadable)."""
        if runtime.state.rekey_duty() != runtime.me:
            await self.repair_unreadable(runtime)
            return
        await self.rotate_epoch(runtime)

    async def repair_unreadable(self, runtime: CircleRuntime, *, waited: bool = False) -> None:
        """Start an epoch of our own when we hold no secret for the current one (see the
        table in the module doc)."""
        epoch = runtime.state.current_epoch
        if runtime.left or not runtime.state.is_member(runtime.me):
            return
        if epoch is None or epoch.id in runtime.epochs:
            return
        sealed_to_us = runtime.me in epoch.recipients
        if not sealed_to_us and not waited:
            # left out: usually an admission whose rotation is on its way
            self._recheck_later(runtime, OMITTED_WAIT_SECONDS)
            return
        circle_id = runtime.circle_id
        wait = (
            self._last_repair.get(circle_id, -math.inf) + REPAIR_MIN_SECONDS - trio.current_time()
        )
        if wait > 0:
            self._recheck_later(runtime, wait)
            return
        if sealed_to_us and self._open_from_log(runtime, epoch.id):
            # accepted by a later resolution, never opened on arrival
            await self._topics.sync(runtime)
            return
        self._last_repair[circle_id] = trio.current_time()
        self._count("unreadable_epoch" if sealed_to_us else "left_out_of_epoch")
        log.info("circle epoch unreadable to us: starting one of our own")
        await self.rotate_epoch(runtime, unreadable=epoch.id if sealed_to_us else None)

    def _open_from_log(self, runtime: CircleRuntime, epoch_id: bytes) -> bool:
        """Open the stored KEY_ROTATE of this epoch, if any of our keys does."""
        for stored in reversed(self._circle_store.control_events_in_order(runtime.circle_id)):
            if stored.type is not EventType.KEY_ROTATE or stored.id in runtime.refused:
                continue
            event = decoded(stored)
            if event.body["epoch"] != epoch_id:
                continue
            secret = runtime.open_rotation(event)
            if secret is None:
                return False
            self._circle_store.add_epoch(runtime.circle_id, epoch_id, secret)
            runtime.add_epoch_secret(secret)
            return True
        return False

    def _recheck_later(self, runtime: CircleRuntime, delay: float) -> None:
        if runtime.circle_id in self._rechecking:
            return
        self._rechecking.add(runtime.circle_id)
        self._spawn(self._recheck, runtime, delay)

    async def _recheck(self, runtime: CircleRuntime, delay: float) -> None:
        try:
            await trio.sleep(delay)
        finally:
            self._rechecking.discard(runtime.circle_id)
        if runtime.state.rekey_duty() == runtime.me:
            await self.repair_epoch(runtime)
        else:
            await self.repair_unreadable(runtime, waited=True)
