"""The dialogs: unlocking or creating the profile, its passphrase, joining circles."""
