from hlsp.cli import main

raise SystemExit(main())
