"""Tor: Hearth's own tor process or an existing one, its control port, onion services."""
