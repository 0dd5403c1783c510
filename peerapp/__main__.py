from peerapp.cli import main

raise SystemExit(main())
