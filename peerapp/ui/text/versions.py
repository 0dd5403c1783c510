"""The facilitators' list of events a member signed twice under one number."""

from __future__ import annotations

from peerapp.ui.text.translation import tr


def equivocations_action() -> str:
    return tr("versions", "Conflicting versions…")


def equivocations_title() -> str:
    return tr("versions", "Conflicting versions")


def equivocations_text() -> str:
    return tr(
        "versions",
        (
            "Sometimes a member's app signs two different versions of something it "
            "sent. Both are kept and everyone sees both, marked. Compare them here "
            "and delete a version that should not stand. Only facilitators see this "
            "list."
        ),
    )


def equivocations_empty() -> str:
    return tr("versions", "Nobody in this circle has signed two versions of anything.")


def equivocations_loading() -> str:
    return tr("versions", "Reading the versions…")


def to_read_equivocations() -> str:
    return tr("versions", "read the conflicting versions")


def delete_this_version() -> str:
    return tr("versions", "Delete this version")


def version_deleted() -> str:
    return tr("versions", "This version was deleted.")


def version_empty_text() -> str:
    return tr("versions", "(no text)")


def version_refused() -> str:
    return tr("versions", "The circle's rules refused this version, so nobody saw it.")


def version_deleted_status() -> str:
    return tr("versions", "That version was deleted for everyone; the other stays.")


def equivocation_summary(author_name: str, versions: int) -> str:
    return tr(
        "versions", ("{author_name} signed {versions} versions of one thing they sent")
    ).format(author_name=author_name, versions=versions)


def version_heading(number: int, when: str) -> str:
    return tr("versions", "Version {number} · {when}").format(number=number, when=when)


def version_not_a_message(event_type: str) -> str:
    """A version that is not a message: what kind of event it is, in the log's words."""
    return tr("versions", "Not a message ({event_type})").format(
        event_type=event_type.replace("_", " ")
    )
