"""What the first run, unlock and change-passphrase dialogs say, and the profile's own errors."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.core.passphrase_policy import MIN_LENGTH, Strength
from peerapp.ui.text.translation import tr


def first_run_title() -> str:
    return tr("profile", "Welcome to {app}").format(app=PRODUCT_NAME)


def first_run_heading() -> str:
    return tr("profile", "Welcome to {app}").format(app=PRODUCT_NAME)


def first_run_explanation() -> str:
    return tr(
        "profile",
        (
            "Choose a passphrase to protect everything you share here: it locks your "
            "circles and messages on this computer. Nobody can recover it for you, "
            "so pick one you will remember — a short sentence works well."
        ),
    )


def new_passphrase_label() -> str:
    return tr("profile", "Passphrase")


def repeat_passphrase_label() -> str:
    return tr("profile", "Type it again")


def new_passphrase_placeholder() -> str:
    return tr("profile", "A sentence only you would think of")


def min_length_note() -> str:
    return tr("profile", "At least {min_length} characters. Spaces count.").format(
        min_length=MIN_LENGTH
    )


def create_profile() -> str:
    return tr("profile", "Create my profile")


def creating_profile() -> str:
    return tr("profile", "Creating your profile…")


def strength_prefix() -> str:
    return tr("profile", "Strength")


def strength_name(strength: Strength) -> str:
    names = {
        Strength.TOO_SHORT: tr("profile", "too short"),
        Strength.WEAK: tr("profile", "weak"),
        Strength.FAIR: tr("profile", "fair"),
        Strength.STRONG: tr("profile", "strong"),
    }
    return names[strength]


def strength_text(strength: Strength) -> str:
    return tr("profile", "{prefix}: {strength}").format(
        prefix=strength_prefix(), strength=strength_name(strength)
    )


def unlock_title(profile: str) -> str:
    return tr("profile", "Unlock {app}: {profile}").format(app=PRODUCT_NAME, profile=profile)


def unlock_heading() -> str:
    return tr("profile", "Welcome back")


def unlock_explanation() -> str:
    return tr("profile", "Enter your passphrase to open your circles.")


def passphrase_label() -> str:
    return tr("profile", "Passphrase")


def show_passphrase() -> str:
    return tr("profile", "Show passphrase")


def hide_passphrase() -> str:
    return tr("profile", "Hide passphrase")


def caps_lock_on() -> str:
    return tr("profile", "Caps Lock seems to be on.")


def unlock() -> str:
    return tr("profile", "Unlock")


def unlocking() -> str:
    return tr("profile", "Unlocking…")


def wrong_passphrase() -> str:
    return tr("profile", "That passphrase does not unlock this profile.")


def files_unchanged() -> str:
    return tr("profile", "{app} did not change any of your files.").format(app=PRODUCT_NAME)


def profile_folder_note(folder: str) -> str:
    return tr("profile", "Profile: {folder}").format(folder=folder)


def damaged_profile(message: str) -> str:
    return tr("profile", "{message} {files_unchanged}").format(
        message=message, files_unchanged=files_unchanged()
    )


def change_passphrase_title() -> str:
    return tr("profile", "Change passphrase")


def change_passphrase_explanation() -> str:
    return tr(
        "profile",
        ("Your circles stay exactly as they are; only the passphrase that unlocks them changes."),
    )


def current_passphrase_label() -> str:
    return tr("profile", "Current passphrase")


def new_passphrase_label_change() -> str:
    return tr("profile", "New passphrase")


def change_passphrase() -> str:
    return tr("profile", "Change passphrase")


def changing_passphrase() -> str:
    return tr("profile", "Changing your passphrase…")


def wrong_current_passphrase() -> str:
    return tr("profile", "That is not your current passphrase.")


def passphrase_changed() -> str:
    return tr("profile", "Your passphrase has been changed.")


# what failed, completing "Could not …"
def to_create_profile() -> str:
    return tr("profile", "create your profile")


def to_unlock_profile() -> str:
    return tr("profile", "unlock your profile")


def to_change_passphrase() -> str:
    return tr("profile", "change your passphrase")


def profile_in_use_title() -> str:
    return tr("profile", "{app} is already open").format(app=PRODUCT_NAME)


def profile_unavailable_title() -> str:
    return tr("profile", "{app} cannot open this profile").format(app=PRODUCT_NAME)


def profile_unavailable(folder: str, reason: str) -> str:
    return tr("profile", "The profile folder {folder} cannot be used: {reason}").format(
        folder=folder, reason=reason
    )
