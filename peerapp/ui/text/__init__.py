"""Every string the GUI shows a person, one module per feature, each through the
translation wrapper (translation.py). Import the feature module you need; nothing is
re-exported here. docs/architecture.md, "User text and translation"."""
