"""py-libp2p lives here and only here."""
