"""Hearth: private, serverless peer-support circles (package ``peerapp``)."""

__version__ = "0.1.0"
PRODUCT_NAME = "Hearth"
