"""The bundle's entry point (PyInstaller freezes this script into the `peerapp` launcher):
the same command line as the installed `peerapp` script."""

from peerapp.cli import main

raise SystemExit(main())
