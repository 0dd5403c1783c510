"""Moderation: roles, member actions, removed messages, reports, the quiet notices in the
conversation, the moderation log, and writing while muted or slowed down.

How long a mute may be and the lengths offered are rules: peerapp.core.moderation_policy.
"""

from __future__ import annotations

from datetime import datetime

from peerapp.ui.text.common import duration, short_duration
from peerapp.ui.text.translation import tr, trn


def facilitator_badge() -> str:
    return tr("moderation", "Co-facilitator")


def muted_badge() -> str:
    return tr("moderation", "Muted")


def member_actions_button() -> str:
    return tr("moderation", "…")


def promote_action() -> str:
    return tr("moderation", "Promote to co-facilitator")


def demote_action() -> str:
    return tr("moderation", "Demote to member")


def make_founder_action() -> str:
    return tr("moderation", "Make founder…")


def mute_menu() -> str:
    return tr("moderation", "Mute for…")


def mute_choice(seconds: int) -> str:
    """How a length of peerapp.core.moderation_policy.MUTE_CHOICES reads: "10 minutes"."""
    return duration(seconds)


def mute_custom_choice() -> str:
    return tr("moderation", "Custom…")


def unmute_action() -> str:
    return tr("moderation", "Unmute")


def remove_action() -> str:
    return tr("moderation", "Remove from circle…")


def ban_action() -> str:
    return tr("moderation", "Ban…")


def to_moderate() -> str:
    return tr("moderation", "make that change")


def member_actions_name(name: str) -> str:
    return tr("moderation", "Actions for {name}").format(name=name)


def moderation_failed(reason: str) -> str:
    return tr("moderation", "That did not go through: {reason}").format(reason=reason)


def remove_confirm() -> str:
    return tr("moderation", "Remove")


def ban_confirm() -> str:
    return tr("moderation", "Ban")


def make_founder_confirm() -> str:
    return tr("moderation", "Make founder")


def confirm_remove_title(name: str) -> str:
    return tr("moderation", "Remove {name} from the circle?").format(name=name)


def confirm_remove_text(name: str) -> str:
    return tr(
        "moderation",
        (
            "{name} will stop receiving this circle's messages. They could come back "
            "later with a new invite code."
        ),
    ).format(name=name)


def confirm_ban_title(name: str) -> str:
    return tr("moderation", "Ban {name}?").format(name=name)


def confirm_ban_text(name: str) -> str:
    return tr(
        "moderation",
        (
            "{name} will be removed and can never rejoin this circle, not even with "
            "a new invite code. This cannot be undone."
        ),
    ).format(name=name)


def ban_invitees_check(count: int) -> str:
    """The ban confirmation's offer to remove, with the banned member, the `count`
    members they brought in (and those brought in); their names follow on a line below."""
    return trn(
        "moderation",
        "Also remove the person they brought in:",
        "Also remove the {n} people they brought in:",
        count,
    ).format(n=count)


def ban_invitees_names(names: list[str]) -> str:
    """A few names, then how many more: "Cee, Dee and 3 more"."""
    shown = names[:BAN_INVITEES_NAMED]
    more = len(names) - len(shown)
    separator = tr("moderation", ", ")
    if more:
        return tr("moderation", "{names} and {n} more").format(names=separator.join(shown), n=more)
    if len(shown) > 1:
        return tr("moderation", "{names} and {last}").format(
            names=separator.join(shown[:-1]), last=shown[-1]
        )
    return "".join(shown)


BAN_INVITEES_NAMED = 5


def ban_invitees_hint() -> str:
    return tr(
        "moderation",
        (
            "Removed, not banned: they could come back later with a new invite code. "
            "Use this when the people they brought in came along to cause harm."
        ),
    )


def invited_by(name: str) -> str:
    """Who admitted a member, for facilitators (the member list's tooltip)."""
    return tr("moderation", "Invited by {name}").format(name=name)


def invited_by_former_member() -> str:
    return tr("moderation", "Invited by someone no longer in the circle")


def unreadable_keys_reported(count: int) -> str:
    """For facilitators: members reported that this member's new keys did not open for
    them (Hearth repairs that by itself; often it is a glitch, repeated it may not be)."""
    return trn(
        "moderation",
        "Members reported once that new keys this person sent could not be opened "
        "(Hearth repaired it)",
        "Members reported {n} times that new keys this person sent could not be opened "
        "(Hearth repaired it)",
        count,
    ).format(n=count)


def confirm_make_founder_title(name: str) -> str:
    return tr("moderation", "Make {name} the founder?").format(name=name)


def confirm_make_founder_text(name: str) -> str:
    return tr(
        "moderation",
        (
            "{name} becomes the founder of this circle and you stay on as a "
            "co-facilitator. Only {name} could hand the role back to you."
        ),
    ).format(name=name)


def mute_for_label() -> str:
    return tr("moderation", "Mute for")


def mute_unit(seconds: int) -> str:
    """A unit of peerapp.core.moderation_policy.MUTE_UNITS, as the custom mute offers it."""
    names = {
        60: tr("moderation", "minutes"),
        3600: tr("moderation", "hours"),
        24 * 3600: tr("moderation", "days"),
    }
    return names[seconds]


def mute_confirm() -> str:
    return tr("moderation", "Mute")


def mute_title(name: str) -> str:
    return tr("moderation", "Mute {name}").format(name=name)


def mute_for_title(name: str, seconds: int) -> str:
    """A listed length's question: "Mute Bee for 10 minutes"."""
    return tr("moderation", "Mute {name} for {length}").format(name=name, length=duration(seconds))


def mute_text(name: str) -> str:
    return tr(
        "moderation",
        ("{name} can still read the circle, but cannot write to it until the time is up."),
    ).format(name=name)


# a message's menu, and what is left of a deleted one
def delete_for_everyone() -> str:
    return tr("moderation", "Delete for everyone")


def report_message() -> str:
    return tr("moderation", "Report to facilitators…")


def delete_message_title() -> str:
    return tr("moderation", "Delete this message for everyone?")


def delete_message_text() -> str:
    return tr(
        "moderation",
        (
            "The message disappears for every member of the circle. A note in its "
            "place says that it was removed."
        ),
    )


def delete_confirm() -> str:
    return tr("moderation", "Delete")


def to_delete_message() -> str:
    return tr("moderation", "delete the message")


def removed_by_facilitator() -> str:
    return tr("moderation", "Message removed by a facilitator")


def deleted_by_author() -> str:
    return tr("moderation", "Message deleted by its author")


def report_title() -> str:
    return tr("moderation", "Report to facilitators")


def report_text() -> str:
    return tr(
        "moderation",
        (
            "The circle's facilitators will see this message and what you write "
            "here, so they can look after the circle."
        ),
    )


def report_reason_label() -> str:
    return tr("moderation", "What worries you about it?")


def report_reason_placeholder() -> str:
    return tr("moderation", "A few words are enough.")


def report_send() -> str:
    return tr("moderation", "Send report")


def report_sending() -> str:
    return tr("moderation", "Sending the report…")


def to_report() -> str:
    return tr("moderation", "send the report")


def report_sent() -> str:
    return tr("moderation", "Thank you. The facilitators have your report.")


# the quiet notes in the conversation when facilitators act
def promoted_notice(actor: str, target: str) -> str:
    return tr("moderation", "{actor} made {target} a co-facilitator").format(
        actor=actor, target=target
    )


def demoted_notice(actor: str, target: str) -> str:
    return tr("moderation", "{actor} made {target} a member again").format(
        actor=actor, target=target
    )


def made_founder_notice(actor: str, target: str) -> str:
    return tr("moderation", "{actor} made {target} the founder").format(actor=actor, target=target)


def muted_notice(actor: str, target: str, duration: str) -> str:
    return tr("moderation", "{target} was muted for {duration} by {actor}").format(
        target=target, duration=duration, actor=actor
    )


def unmuted_notice(actor: str, target: str) -> str:
    return tr("moderation", "{actor} unmuted {target}").format(actor=actor, target=target)


def removed_notice(actor: str, target: str) -> str:
    return tr("moderation", "{target} was removed by {actor}").format(target=target, actor=actor)


def banned_notice(actor: str, target: str) -> str:
    return tr("moderation", "{target} was removed by {actor} and cannot rejoin").format(
        target=target, actor=actor
    )


def invite_revoked_notice(actor: str) -> str:
    return tr("moderation", "{actor} revoked an invite code").format(actor=actor)


def message_deleted_notice(actor: str, own: bool) -> str:
    if own:
        return tr("moderation", "{actor} deleted a message").format(actor=actor)
    return tr("moderation", "{actor} removed a message").format(actor=actor)


def settings_saved_notice(actor: str) -> str:
    return tr("moderation", "{actor} updated the circle settings").format(actor=actor)


def settings_notice(changes: list[str], actor: str) -> str:
    return tr("moderation", "{changes} (changed by {actor})").format(
        changes=tr("moderation", ". ").join(changes), actor=actor
    )


def other_action_notice(actor: str) -> str:
    return tr("moderation", "{actor} changed something in the circle").format(actor=actor)


def slow_mode_now(value: str) -> str:
    return tr("moderation", "Slow mode is now {value}").format(value=value)


def slow_mode_off_now() -> str:
    return tr("moderation", "Slow mode is off")


def join_approval_on_now() -> str:
    return tr("moderation", "Join approval is on")


def join_approval_off_now() -> str:
    return tr("moderation", "Join approval is off")


def members_invite_on_now() -> str:
    return tr("moderation", "Members may now invite people")


def members_invite_off_now() -> str:
    return tr("moderation", "Only facilitators can invite people now")


def guidelines_updated() -> str:
    return tr("moderation", "The guidelines were updated")


# the moderation log
def moderation_log_action() -> str:
    return tr("moderation", "Moderation log")


def moderation_log_title() -> str:
    return tr("moderation", "Moderation log")


def moderation_log_text() -> str:
    return tr(
        "moderation",
        (
            "Every change the facilitators made in this circle, oldest first. Every "
            "member can read it."
        ),
    )


def moderation_log_by(who: str, whom: str, when: str) -> str:
    """The second line of a log entry: who did it, to whom (if anyone), when."""
    if whom:
        return tr("moderation", "{who}, about {whom} · {when}").format(
            who=who, whom=whom, when=when
        )
    return tr("moderation", "{who} · {when}").format(who=who, when=when)


def moderation_log_reason(reason: str) -> str:
    return tr("moderation", "Reason: {reason}").format(reason=reason)


def moderation_log_entries_name() -> str:
    return tr("moderation", "Moderation log entries")


def moderation_log_empty() -> str:
    return tr("moderation", "Nothing has been changed in this circle so far.")


def moderation_log_loading() -> str:
    return tr("moderation", "Reading the log…")


def moderation_log_close() -> str:
    return tr("moderation", "Close")


def to_read_moderation_log() -> str:
    return tr("moderation", "read the moderation log")


def log_promoted() -> str:
    return tr("moderation", "Made co-facilitator")


def log_demoted() -> str:
    return tr("moderation", "Made a member again")


def log_made_founder() -> str:
    return tr("moderation", "Made founder")


def log_unmuted() -> str:
    return tr("moderation", "Unmuted")


def log_removed() -> str:
    return tr("moderation", "Removed")


def log_banned() -> str:
    return tr("moderation", "Banned")


def log_settings_saved() -> str:
    return tr("moderation", "Updated the circle settings")


def log_invite_revoked() -> str:
    return tr("moderation", "Revoked an invite code")


def log_own_message_deleted() -> str:
    return tr("moderation", "Deleted their own message")


def log_message_removed() -> str:
    return tr("moderation", "Removed a message")


def log_other() -> str:
    return tr("moderation", "Changed something")


def log_muted(duration_text: str) -> str:
    return tr("moderation", "Muted for {duration_text}").format(duration_text=duration_text)


def log_when(moment: datetime) -> str:
    return tr("moderation", "{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}").format(
        moment=moment
    )


# writing while muted or slowed down
def muted_until(until: datetime, today: datetime) -> str:
    if until.date() == today.date():
        return tr("moderation", "You are muted until {until:%H:%M}").format(until=until)
    return tr("moderation", "You are muted until {until:%A} {until:%H:%M}").format(until=until)


def send_again_in(seconds: int) -> str:
    return tr("moderation", "You can send again in {wait}").format(
        wait=short_duration(max(seconds, 1))
    )


def slow_mode_hint(seconds: int) -> str:
    return tr("moderation", "Slow mode: one message every {wait}").format(
        wait=short_duration(seconds)
    )


# a facilitator's reason for a removal, ban, mute or delete (optional): asked in the
# dialogs, shown to the member it is about and in the log and the conversation's notices
def reason_label() -> str:
    return tr("moderation", "Reason (shown to them and in the log)")


def reason_placeholder() -> str:
    return tr("moderation", "Optional: a few kind, clear words")


def reason_hint(limit: int) -> str:
    return tr("moderation", "Up to {limit} characters. Leave it empty to give none.").format(
        limit=limit
    )


def with_reason(notice: str, reason: str) -> str:
    """A notice followed by the facilitator's reason, when there is one."""
    if not reason:
        return notice
    return tr("moderation", "{notice}. Reason: {reason}").format(notice=notice, reason=reason)


def message_removed_notice(actor: str, target: str) -> str:
    """A facilitator deleted someone's message and said why (without a reason, the
    message's own tombstone says it all)."""
    return tr("moderation", "A message by {target} was removed by {actor}").format(
        target=target, actor=actor
    )


def removed_reason(reason: str) -> str:
    """The removed member's bar: why, in the facilitator's words."""
    return tr("moderation", "The facilitator's reason: {reason}").format(reason=reason)
