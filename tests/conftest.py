"""Fixtures every suite can use. The Tor ones (tests/tor/fixtures.py) start nothing
unless a test asks for them."""

pytest_plugins = ("tests.tor.fixtures",)
