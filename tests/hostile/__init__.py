"""A scripted hostile member built from Hearth's own code (see member.py)."""
