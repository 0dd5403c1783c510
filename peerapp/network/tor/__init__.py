"""Tor for the libp2p host: dialling onion services through a tor's SOCKS port."""
