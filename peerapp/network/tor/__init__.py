"""Tor: Hearth's own tor process or an existing one, its control port, onion services, and
dialling onion services through a tor's SOCKS port (socks_transport.py)."""
